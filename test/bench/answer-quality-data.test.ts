import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const knowledgeDir = join(repoRoot, 'knowledge');
const setPath = join(repoRoot, 'bench', 'data', 'answer-quality.jsonl');

const labelledQuestion = z
  .object({
    id: z.string().regex(/^q\d{3,}$/),
    question: z.string().trim().min(8),
    answerable: z.boolean(),
    expected: z.array(z.string().endsWith('.md')),
    section: z.string().min(1).optional(),
  })
  .strict()
  .refine((row) => row.answerable === row.expected.length > 0, {
    message: 'an answerable question names the articles that answer it; an unanswerable one names none',
  })
  .refine((row) => row.answerable || row.section === undefined, {
    message: 'an unanswerable question has no section',
  });

type LabelledQuestion = z.infer<typeof labelledQuestion>;

/** Every line of the set, parsed; throws naming the first line that is not a labelled question. */
function readSet(): LabelledQuestion[] {
  const lines = readFileSync(setPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines.map((line, index) => {
    const parsed = labelledQuestion.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`line ${index + 1}: ${parsed.error.message}`);
    return parsed.data;
  });
}

/** The `##` headings of a knowledge article, as written. */
function sectionsOf(file: string): string[] {
  return readFileSync(join(knowledgeDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('## '))
    .map((line) => line.slice(3).trim());
}

describe('the answer-quality set in bench/data', () => {
  const rows = readSet();
  const articles = readdirSync(knowledgeDir).filter((file) => file.endsWith('.md'));

  it('has at least 150 questions, 40 of them unanswerable, with unique ids', () => {
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(rows.filter((row) => !row.answerable).length).toBeGreaterThanOrEqual(40);
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length);
    expect(new Set(rows.map((row) => row.question.toLowerCase())).size).toBe(rows.length);
  });

  it('expects only articles that exist in knowledge/, each once per question', () => {
    const missing = rows.flatMap((row) =>
      row.expected
        .filter((file) => !existsSync(join(knowledgeDir, file)))
        .map((file) => `${row.id}: ${file}`),
    );
    expect(missing).toEqual([]);
    for (const row of rows) expect(new Set(row.expected).size).toBe(row.expected.length);
  });

  it('names a section that is a ## heading of the first expected article', () => {
    const wrong = rows
      .filter((row) => row.section !== undefined)
      .filter((row) => !sectionsOf(row.expected[0] as string).includes(row.section as string))
      .map((row) => `${row.id}: ${row.expected[0]} has no section "${row.section}"`);
    expect(wrong).toEqual([]);
  });

  it('asks about every article at least three times', () => {
    expect(articles.length).toBeGreaterThanOrEqual(30);
    const counts = new Map(articles.map((file) => [file, 0]));
    for (const row of rows) for (const file of row.expected) counts.set(file, (counts.get(file) ?? 0) + 1);
    const thin = [...counts].filter(([, count]) => count < 3).map(([file, count]) => `${file}: ${count}`);
    expect(thin).toEqual([]);
  });
});
