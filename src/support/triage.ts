import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseYaml, readConfigFile, validateYaml } from '../config/yaml-file.js';
import type { Triage } from './types.js';

/** Decides how urgent a question is and what it is about. */
export interface Triager {
  triage(text: string, options: { markedUrgent?: boolean }): Triage;
}

/** Used until a team's rules are loaded: everything is normal and general unless marked urgent. */
export const neutralTriager: Triager = {
  triage: (_text, { markedUrgent }) => ({
    urgency: markedUrgent ? 'high' : 'normal',
    category: 'general',
    matched: markedUrgent ? ['--urgent'] : [],
  }),
};

/** The rules file shipped at the repository root; TRIAGE_RULES points elsewhere. */
export const DEFAULT_TRIAGE_RULES_PATH = fileURLToPath(new URL('../../triage-rules.yml', import.meta.url));

const phrase = z
  .string({ error: 'a phrase must be text' })
  .trim()
  .min(1, 'a phrase must not be empty')
  .max(200, 'a phrase must be at most 200 characters');

/** A phrase, or `{ all: [...] }`: every one of the phrases must appear (e.g. "can't log in" and "everyone"). */
const ruleSchema = z.union(
  [phrase, z.object({ all: z.array(phrase).min(2, '`all` needs at least two phrases') }).strict()],
  { error: 'a rule is a phrase or { all: [phrase, phrase, …] }' },
);

const CATEGORY_NAME = /^[a-z][a-z0-9_-]*$/;
const CATEGORY_NAME_MESSAGE = 'category names are lowercase letters, digits, - and _';

const rulesSchema = z
  .object({
    urgency: z
      .object({
        high: z.array(ruleSchema).default([]),
        low: z.array(ruleSchema).default([]),
      })
      .strict(),
    categories: z
      .record(z.string(), z.array(phrase, { error: 'a category is a list of keywords' }))
      .superRefine((categories, ctx) => {
        for (const name of Object.keys(categories)) {
          if (!CATEGORY_NAME.test(name))
            ctx.addIssue({ code: 'custom', path: [name], message: CATEGORY_NAME_MESSAGE });
        }
      }),
    default_category: z.string().regex(CATEGORY_NAME, CATEGORY_NAME_MESSAGE).default('general'),
  })
  .strict();

/** The rules as a team writes them in `triage-rules.yml`. */
export type TriageRules = z.infer<typeof rulesSchema>;

interface CompiledRule {
  label: string;
  patterns: Phrase[];
}

/** A phrase's pattern, and the longest run of letters every match must contain (checked first: far cheaper). */
interface Phrase {
  pattern: RegExp;
  required: string;
}

const found = (phrase: Phrase, text: string) => text.includes(phrase.required) && phrase.pattern.test(text);

/**
 * Triage from a team's rules: `high` phrases make a question urgent, `low` phrases (when no high
 * one matched) make it low; the category whose keywords match most often wins, ties going to the
 * one listed first. Phrases match whole words, case-insensitively.
 */
export class RuleTriager implements Triager {
  private readonly high: CompiledRule[];
  private readonly low: CompiledRule[];
  private readonly categories: { name: string; keywords: Phrase[] }[];
  private readonly defaultCategory: string;

  constructor(rules: TriageRules) {
    this.high = rules.urgency.high.map(compileRule);
    this.low = rules.urgency.low.map(compileRule);
    this.categories = Object.entries(rules.categories).map(([name, keywords]) => ({
      name,
      keywords: keywords.map(phrasePattern),
    }));
    this.defaultCategory = rules.default_category;
  }

  triage(text: string, options: { markedUrgent?: boolean }): Triage {
    const normalised = normalise(text).toLowerCase();
    const high = matching(this.high, normalised);
    const category = this.categoryOf(normalised);
    if (options.markedUrgent) return { urgency: 'high', category, matched: ['--urgent', ...high] };
    if (high.length > 0) return { urgency: 'high', category, matched: high };
    const low = matching(this.low, normalised);
    if (low.length > 0) return { urgency: 'low', category, matched: low };
    return { urgency: 'normal', category, matched: [] };
  }

  private categoryOf(text: string): string {
    let best = { name: this.defaultCategory, hits: 0 };
    for (const category of this.categories) {
      const hits = category.keywords.filter((keyword) => found(keyword, text)).length;
      if (hits > best.hits) best = { name: category.name, hits };
    }
    return best.name;
  }
}

/** Reads a rules file; any mistake throws a ConfigError naming the file and line. */
export function loadTriageRules(path: string): TriageRules {
  return parseTriageRules(readConfigFile(path, 'triage rules file'), path);
}

/** Parses the text of a rules file; `path` is only used in error messages. */
export function parseTriageRules(text: string, path: string): TriageRules {
  return validateYaml(parseYaml(text, path), rulesSchema, path);
}

/** The triager deskhand starts with: the team's rules from `path`, or the shipped defaults. */
export function loadTriager(path: string = DEFAULT_TRIAGE_RULES_PATH): RuleTriager {
  return new RuleTriager(loadTriageRules(path));
}

function compileRule(rule: string | { all: string[] }): CompiledRule {
  const phrases = typeof rule === 'string' ? [rule] : rule.all;
  return { label: phrases.join(' + '), patterns: phrases.map(phrasePattern) };
}

function matching(rules: CompiledRule[], text: string): string[] {
  return rules
    .filter((rule) => rule.patterns.every((phrase) => found(phrase, text)))
    .map((rule) => rule.label);
}

/** Curly apostrophes as straight ones, so "can’t" from a phone matches "can't" in the file. */
function normalise(text: string): string {
  return text.replace(/[‘’ʼ]/g, "'");
}

/**
 * A whole-word, case-insensitive pattern: "down" matches "is down!" but not "download"; spaces
 * match any run of whitespace; an apostrophe is optional ("cant log in" counts as "can't log in").
 */
function phrasePattern(text: string): Phrase {
  const lower = normalise(text.trim().toLowerCase());
  const body = lower
    .split(/\s+/)
    .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, "'?"))
    .join('\\s+');
  // Case-insensitive by lowercasing both sides rather than with the `i` flag: case folding over
  // every Unicode letter made each pattern cost milliseconds to compile, paid by the first questions.
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'u');
  // Whitespace and apostrophes may differ in a match; a run of letters and digits may not.
  const required = (lower.match(/[\p{L}\p{N}]+/gu) ?? ['']).reduce((a, b) => (b.length > a.length ? b : a));
  return { pattern, required };
}
