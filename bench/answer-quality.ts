/**
 * Answer quality over the labelled set in bench/data/answer-quality.jsonl (questions as people ask
 * them in Slack, some the knowledge does not answer) and the articles in knowledge/: does the right
 * article come first, does the reply cite only what supports it, does deskhand say "I don't know"
 * when it should, and what the reply step costs. Today's ranking (before replies, see
 * bench/lib/baseline-answers.ts) is measured in the same run.
 * `--halves` adds the figures on the odd and the even question ids apart: the found decision's
 * thresholds are chosen on one half and checked on the other, so the two rows show how it does on
 * questions it was not tuned on.
 * `node bin/run-ts.js bench/answer-quality.ts [--data bench/data/answer-quality.jsonl] [--knowledge knowledge] [--misses] [--halves]`
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KnowledgeIndex, parseArticle } from '../src/servers/kb/knowledge-index.js';
import { buildSnippet } from '../src/servers/kb/snippet.js';
import { decideFound, rankHits } from '../src/support/ranking.js';
import { isGrounded, ReplyWriter } from '../src/support/replies/index.js';
import type { KnowledgeHit, RankedHit } from '../src/support/types.js';
import { BASELINE_GOOD_ANSWER_RELEVANCE, BaselineIndex, baselineRankHits } from './lib/baseline-answers.js';
import { formatTable, percentile, type Row, round } from './lib/stats.js';

export interface LabelledQuestion {
  id: string;
  question: string;
  answerable: boolean;
  expected: string[];
  section?: string;
}

export interface AnswerQualityOptions {
  dataPath?: string;
  knowledgeDir?: string;
  /** Only the first n questions (the smoke test). */
  limit?: number;
  /** Print every question the new ranking gets wrong. */
  misses?: boolean;
  /** Add rows for the odd and the even question ids apart (the calibration's held-out halves). */
  halves?: boolean;
}

/** What one question came to, for one way of answering. */
interface Outcome {
  ranked: string[];
  found: boolean;
  /** Paths of the sources the reply cites (the card's sources; today: the three hits shown). */
  cited: string[];
  grounded?: boolean;
  replyMs?: number;
  /** CPU time of the reply step: on a shared machine, wall time includes waiting for a core. */
  replyCpuMs?: number;
  coreMs?: number;
}

const PER_SOURCE_LIMIT = 5;

export async function runAnswerQuality(options: AnswerQualityOptions = {}): Promise<Row[]> {
  const knowledgeDir = resolve(options.knowledgeDir ?? 'knowledge');
  const questions = loadQuestions(options.dataPath ?? 'bench/data/answer-quality.jsonl').slice(
    0,
    options.limit,
  );
  const articles = loadArticles(knowledgeDir);
  const index = new KnowledgeIndex(articles);
  const baseline = new BaselineIndex(articles);
  const writer = new ReplyWriter();
  const kbHits = (question: string) => kbHitsOf(index, question);

  // Warm up both paths so the timings are of a running server, not of the first compilation.
  for (const { question } of questions.slice(0, 30)) {
    const ranked = rankHits(question, kbHits(question), 6);
    await writer.write(question, ranked, decideFound(ranked, question).found, context());
  }

  const now: Outcome[] = [];
  const before: Outcome[] = [];
  for (const labelled of questions) {
    const hits = kbHits(labelled.question);
    const started = performance.now();
    const ranked = rankHits(labelled.question, hits, 6);
    const rankedAt = performance.now();
    const cpu = process.cpuUsage();
    const decision = decideFound(ranked, labelled.question);
    const written = await writer.write(labelled.question, ranked, decision.found, context());
    const done = performance.now();
    const cpuUsed = process.cpuUsage(cpu);
    const found = decision.found && written.reply !== undefined;
    now.push({
      ranked: ranked.map(pathOf),
      found,
      cited: found ? written.cited.map(pathOf) : [],
      grounded: written.reply ? isGrounded(written.reply, written.cited) : undefined,
      replyMs: done - rankedAt,
      replyCpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
      coreMs: done - started,
    });
    const old = baselineRankHits(labelled.question, baseline.query(labelled.question, PER_SOURCE_LIMIT), 3);
    const oldFound = (old[0]?.relevance ?? 0) >= BASELINE_GOOD_ANSWER_RELEVANCE;
    before.push({ ranked: old.map(pathOf), found: oldFound, cited: oldFound ? old.map(pathOf) : [] });
    if (options.misses) printMiss(labelled, ranked, found, written.cited);
  }
  const rows = [
    summarise('today (word share, by article)', questions, before),
    summarise('replies (this branch)', questions, now),
  ];
  if (options.halves) {
    for (const [name, odd] of [
      ['odd ids', true],
      ['even ids', false],
    ] as const) {
      const keep = questions.map((labelled) => isOddId(labelled.id) === odd);
      const pick = <T>(items: readonly T[]) => items.filter((_item, i) => keep[i]);
      rows.push(summarise(`today, ${name}`, pick(questions), pick(before)));
      rows.push(summarise(`replies, ${name}`, pick(questions), pick(now)));
    }
  }
  return rows;
}

/** The articles of a knowledge folder, as the kb server reads them. */
export function loadArticles(knowledgeDir: string) {
  return readdirSync(knowledgeDir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) =>
      parseArticle(readFileSync(join(knowledgeDir, name), 'utf8'), join(knowledgeDir, name), name),
    );
}

/** The kb server's answer for a question: what search_pages with include_content returns, as hits. */
export function kbHitsOf(index: KnowledgeIndex, question: string): KnowledgeHit[] {
  return index
    .query(question, PER_SOURCE_LIMIT)
    .map(({ article, score, matchedTerms, queryTerms, section }) => ({
      source: 'kb',
      title: article.title,
      snippet: buildSnippet(
        (section === undefined ? undefined : article.sections[section]?.text) ?? article.body,
        [...matchedTerms, ...queryTerms],
      ),
      url: article.url,
      path: article.path,
      score,
      passages: article.sections.map((passage) => ({ ...passage })),
    }));
}

/** Whether a question's id (`q001`, …) ends in an odd number. */
export function isOddId(id: string): boolean {
  return Number(id.replace(/\D/g, '')) % 2 === 1;
}

function summarise(name: string, questions: readonly LabelledQuestion[], outcomes: readonly Outcome[]): Row {
  let hit1 = 0;
  let hit3 = 0;
  let mrr = 0;
  let answerable = 0;
  let foundRight = 0;
  let unanswerable = 0;
  let falseFound = 0;
  let citedTotal = 0;
  let citedRight = 0;
  let replies = 0;
  let grounded = 0;
  const replyMs: number[] = [];
  const replyCpuMs: number[] = [];
  const coreMs: number[] = [];
  for (const [i, labelled] of questions.entries()) {
    const outcome = outcomes[i] as Outcome;
    if (outcome.replyMs !== undefined) replyMs.push(outcome.replyMs);
    if (outcome.coreMs !== undefined) coreMs.push(outcome.coreMs);
    if (outcome.replyCpuMs !== undefined) replyCpuMs.push(outcome.replyCpuMs);
    if (outcome.grounded !== undefined) {
      replies++;
      if (outcome.grounded) grounded++;
    }
    if (!labelled.answerable) {
      unanswerable++;
      if (outcome.found) falseFound++;
      continue;
    }
    answerable++;
    const rank = outcome.ranked.slice(0, 3).findIndex((path) => labelled.expected.includes(path));
    if (rank === 0) hit1++;
    if (rank >= 0) {
      hit3++;
      mrr += 1 / (rank + 1);
    }
    if (outcome.found) foundRight++;
    citedTotal += outcome.cited.length;
    citedRight += outcome.cited.filter((path) => labelled.expected.includes(path)).length;
  }
  const share = (part: number, whole: number) => (whole === 0 ? 'n/a' : round(part / whole, 3));
  return {
    benchmark: 'answer quality',
    case: name,
    questions: questions.length,
    'hit@1': share(hit1, answerable),
    'hit@3': share(hit3, answerable),
    'MRR@3': share(mrr, answerable),
    'found recall': share(foundRight, answerable),
    'false found': share(falseFound, unanswerable),
    'cited precision': share(citedRight, citedTotal),
    grounded: replies ? share(grounded, replies) : 'no reply',
    'reply p50 ms': replyMs.length ? round(percentile(replyMs, 50), 3) : '—',
    'reply p99 ms': replyMs.length ? round(percentile(replyMs, 99), 3) : '—',
    'reply CPU p99 ms': replyCpuMs.length ? round(percentile(replyCpuMs, 99), 3) : '—',
    'rank+reply p99 ms': coreMs.length ? round(percentile(coreMs, 99), 3) : '—',
  };
}

function printMiss(
  labelled: LabelledQuestion,
  ranked: readonly RankedHit[],
  found: boolean,
  cited: readonly RankedHit[],
): void {
  const top = ranked[0];
  const wrongTop = labelled.answerable && !labelled.expected.includes(top?.path ?? '');
  const wrongFound = labelled.answerable !== found;
  const wrongCite = cited.some((hit) => !labelled.expected.includes(hit.path ?? ''));
  if (!wrongTop && !wrongFound && !(found && wrongCite)) return;
  console.log(
    `${labelled.id} ${labelled.answerable ? 'A' : 'U'} found=${found} "${labelled.question}" expected=${labelled.expected.join(',')}\n` +
      ranked
        .slice(0, 3)
        .map(
          (hit) =>
            `    ${hit.path} rel=${hit.relevance} cov=${hit.coverage}${cited.includes(hit) ? ' cited' : ''}`,
        )
        .join('\n'),
  );
}

function pathOf(hit: { path?: string; url?: string }): string {
  return hit.path ?? hit.url ?? '';
}

function context() {
  return { questionId: 'bench', channelKind: 'public' as const, entryPoint: 'cli' as const };
}

export function loadQuestions(path: string): LabelledQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as LabelledQuestion);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      knowledge: { type: 'string' },
      misses: { type: 'boolean', default: false },
      halves: { type: 'boolean', default: false },
    },
  });
  const rows = await runAnswerQuality({
    dataPath: values.data,
    knowledgeDir: values.knowledge,
    misses: values.misses,
    halves: values.halves,
  });
  console.log(formatTable(rows));
}
