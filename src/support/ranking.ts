import { analyse, editDistanceWithin, questionTerms, termSet } from './analysis.js';
import { BoundedCache } from './bounded-cache.js';
import { questionFocus } from './question-focus.js';
import { passageUnits } from './replies/sentences.js';
import type { KnowledgeHit, Passage, RankedHit } from './types.js';

/**
 * Words that say little about which article answers a question: they appear in most of them.
 * They still count, at a fraction of a subject word's weight.
 */
const WEAK_TERMS = new Set(
  (
    'account acme cloud app change set setting settings work works new add edit update page user people ' +
    'problem issue error click open option can able time day week month year first last other ' +
    'admin owner member workspace'
  )
    .split(' ')
    .flatMap((word) => analyse(word)),
);
const WEAK_WEIGHT = 0.35;
/** How much a match spread over a whole text counts next to one in a single passage. */
const WHOLE_TEXT_FACTOR = 0.6;
/**
 * A term no passage holds is weighed as if one did: it may be the subject the knowledge lacks,
 * or only chatter ("flying tomorrow"); the margin over the next hit tells those apart better.
 */
const ABSENT_AS = 1;
/**
 * A term no passage holds that the question names only around what it asks ("we deleted our
 * workspace by accident yesterday!! can it be restored": accident, yesterday) counts like a weak
 * word: context the asker gives, not the subject the knowledge lacks (src/support/question-focus.ts).
 */
const ABSENT_CONTEXT_WEIGHT = WEAK_WEIGHT;
/** Shares of the relevance: terms in the title, and the hit's standing in its own source (the rest is coverage). */
const TITLE_WEIGHT = 0.12;
const SOURCE_WEIGHT = 0.3;

/**
 * The found decision's thresholds, chosen on bench/data/answer-quality.jsonl by a grid over them,
 * fitted on its odd ids and measured on its even ids and the other way round (BENCHMARKS.md,
 * "Answer quality"; `bench/answer-quality.ts --halves`): the best hit's relevance must reach
 * FOUND_RELEVANCE; less than FOUND_UNKNOWN of the question's subject may be missing from every
 * hit; a question asking for a number must find one next to its subject; and the best hit must
 * lead the next hit by FOUND_MARGIN and the best hit answering something else (holding a subject
 * term it lacks) by FOUND_RIVAL_MARGIN, unless a hit from another source covers the question as
 * well (agreement).
 */
export const FOUND_RELEVANCE = 0.5;
export const FOUND_MARGIN = 0.06;
export const FOUND_RIVAL_MARGIN = 0.15;
export const FOUND_UNKNOWN = 0.5;
/**
 * The share of the question's subject the best hit's title with a section heading or a list
 * item's lead must name (`FoundFeatures.headed`): above zero, i.e. some subject word (not only a
 * weak one) is what a section of the hit is about. Chosen by the same grid, fitted on each half
 * of the ids and checked on the other (BENCHMARKS.md, "Answer quality").
 */
export const FOUND_HEADED = 0.05;
/**
 * The share of what the question's asking clause names that the best hit must hold
 * (`FoundFeatures.asked`): "our zap creates every task twice, how do we stop the duplicates" is not
 * answered by an article about zaps creating tasks that never mentions stopping or duplicates.
 * Chosen by the same grid (fitted on all ids and on the odd ids alike; anything from 0.01 to 0.25
 * decides the same on the answer-quality set).
 */
export const FOUND_ASKED = 0.1;
/** Near misses below this relevance are not worth a "might also help" link. */
export const RELATED_RELEVANCE = 0.3;

interface TermMatch {
  term: string;
  weight: number;
  /** The question names it only in clauses that do not ask (see `questionFocus`). */
  context?: boolean;
}

/** How far a hit's text covers the question, per passage and over the whole hit. */
interface HitMatch {
  coverage: number;
  titleCoverage: number;
  bestPassage: number;
}

/** The hit's passages, or its snippet as the one passage when the source sent no text. */
export function passagesOf(hit: KnowledgeHit): Passage[] {
  if (hit.passages && hit.passages.length > 0) return hit.passages;
  return hit.snippet ? [{ text: hit.snippet }] : [];
}

/**
 * Merges hits from every source into one list, best first, on one scale (0..1) whatever each
 * source's own scoring: the weighted share of the question's subject terms (stemmed, synonyms
 * folded, question words left out, typos forgiven) found in the hit's best passage with its title
 * and heading, a bonus for terms in the title, and a nudge from the hit's rank in its own source.
 */
export function rankHits(question: string, hits: KnowledgeHit[], limit: number): RankedHit[] {
  const terms = weightedTerms(question);
  const wantsSteps = asksHow(question);
  const sourceStrength = strengthInSource(hits);
  const prepared = hits.map((hit) => prepareHit(terms, hit));
  const weights = poolWeights(terms, prepared);
  const ranked = hits.map((hit, index): RankedHit => {
    const match = matchHit(terms, weights, prepared[index] as PreparedHit, wantsSteps);
    const headed = headingShare(terms, prepared[index] as PreparedHit);
    const strength = sourceStrength.get(hit) ?? 0;
    const relevance = Math.min(
      1,
      (1 - TITLE_WEIGHT - SOURCE_WEIGHT) * match.coverage +
        TITLE_WEIGHT * match.titleCoverage +
        SOURCE_WEIGHT * strength,
    );
    const forms = (prepared[index] as PreparedHit).forms;
    return {
      ...hit,
      relevance: round(relevance),
      coverage: round(match.coverage),
      bestPassage: match.bestPassage,
      headed: round(headed),
      matched: terms.filter((_term, i) => forms[i] !== undefined).map(({ term }) => term),
      missing: terms.filter((_term, i) => forms[i] === undefined).map(({ term }) => term),
    };
  });
  const seen = new Set<string>();
  return ranked
    .sort((a, b) => b.relevance - a.relevance || b.score - a.score)
    .filter((hit) => {
      const key = hit.url ?? `${hit.source}:${hit.title}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit);
}

/** What the found decision saw, to explain and to calibrate it. */
export interface FoundDecision {
  found: boolean;
  coverage: number;
  margin: number;
  /** Another source's hit agrees (covers the question nearly as well). */
  agreement: boolean;
  /** Everything the decision weighed. */
  features: FoundFeatures;
}

/**
 * Whether the best hit answers the question: it is relevant enough, the question's subject is not
 * something no source mentions, it gives a number when one is asked for, and it stands clear of
 * the next hit and of any hit answering another part of the question (a question several articles
 * each cover a part of is one none of them answers). A second source covering it as well counts
 * for it. `question` (the asker's text) enables the number check; without it that check passes.
 */
export function decideFound(ranked: readonly RankedHit[], question = ''): FoundDecision {
  const features = foundFeatures(ranked, question);
  const [top, ...rest] = ranked;
  if (!top) return { found: false, coverage: 0, margin: 0, agreement: false, features };
  const coverage = top.coverage ?? top.relevance;
  const agreement = rest.some(
    (hit) => hit.source !== top.source && (hit.coverage ?? 0) >= Math.max(0.6, coverage - 0.1),
  );
  // Sources agreeing on the answer are not rivals: the margins are only asked of a lone best hit.
  const standsClear =
    agreement || (features.margin >= FOUND_MARGIN && features.rivalMargin >= FOUND_RIVAL_MARGIN);
  const found =
    top.relevance >= FOUND_RELEVANCE &&
    features.unknown < FOUND_UNKNOWN &&
    features.answerType === 1 &&
    features.headed >= FOUND_HEADED &&
    features.asked >= FOUND_ASKED &&
    standsClear;
  return { found, coverage, margin: features.margin, agreement, features };
}

/**
 * The question's subject terms with their weights: weak words count less, unknown words count full;
 * each marked `context` when the question names it only outside the clauses that ask.
 */
export function weightedTerms(question: string): TermMatch[] {
  const focus = questionFocus(question);
  return questionTerms(question).map((term) => ({
    term,
    weight: WEAK_TERMS.has(term) ? WEAK_WEIGHT : 1,
    ...(focus && !focus.asking.has(term) ? { context: true } : {}),
  }));
}

/** A passage's words, read once per text: all of them (heading included), the heading's, and its list items' leads. */
interface ReadPassage {
  vocabulary: ReadonlySet<string>;
  heading: ReadonlySet<string>;
  /** The lead of each list item that has one: "**Cloudflare**: set the record…", "\"Not authorized\": …". */
  leads: ReadonlyArray<ReadonlySet<string>>;
}

/** A list item's lead: its opening bold or quoted words, or the words before a colon or dash near its start. */
const LEAD =
  /^\s*(?:[-*+•]|\d{1,2}[.)])\s+(?:\*\*([^*]{2,60})\*\*|"([^"]{2,60})"|([^:—]{2,40})\s*(?::|—|\s-\s))/;

function leadsOf(text: string): ReadonlySet<string>[] {
  const leads: ReadonlySet<string>[] = [];
  for (const line of text.split('\n')) {
    const match = LEAD.exec(line);
    const lead = match?.[1] ?? match?.[2] ?? match?.[3];
    if (lead) leads.push(termSet(lead));
  }
  return leads;
}

/** A hit's words: its title, each passage, and the form each question term takes in it. */
interface PreparedHit {
  passages: Passage[];
  title: ReadonlySet<string>;
  read: ReadPassage[];
  passageTerms: ReadonlyArray<ReadonlySet<string>>;
  /** The title's words and each passage's: the hit's whole text, read without joining them. */
  vocabularies: ReadonlyArray<ReadonlySet<string>>;
  /** Per question term: the word of the hit that stands for it (itself, a typo, a longer form), if any. */
  forms: Array<string | undefined>;
}

/**
 * Passages read before, by text and then heading: kb articles and pages come back unchanged on
 * every question. Keyed by the texts themselves, not one key joined from both: a joined key is a
 * new string per lookup, hashed and compared over its whole length every time.
 */
const readPassages = new BoundedCache<Map<string, ReadPassage>>(5_000);

function readPassage(passage: Passage): ReadPassage {
  const byHeading = readPassages.get(passage.text, () => new Map());
  const headingText = passage.heading ?? '';
  let read = byHeading.get(headingText);
  if (read === undefined) {
    const heading = termSet(headingText);
    const vocabulary = new Set(termSet(passage.text));
    for (const term of heading) vocabulary.add(term);
    read = { vocabulary, heading, leads: leadsOf(passage.text) };
    byHeading.set(headingText, read);
  }
  return read;
}

function prepareHit(terms: readonly TermMatch[], hit: KnowledgeHit): PreparedHit {
  const title = termSet(hit.title);
  const passages = passagesOf(hit);
  const read = passages.map(readPassage);
  const passageTerms = read.map(({ vocabulary }) => vocabulary);
  const vocabularies = [title, ...passageTerms];
  const forms = terms.map(({ term }) =>
    vocabularies.some((vocabulary) => vocabulary.has(term)) ? term : nearFormIn(term, vocabularies),
  );
  return { passages, title, read, passageTerms, vocabularies, forms };
}

/**
 * Each question term's weight: its own (weak words count less) times how rare it is among the
 * hits every source returned (BM25's idf over that pool). A term no passage holds weighs most:
 * a question about something the knowledge never mentions is one it does not answer. Unless the
 * question names it only as context around what it asks: then it counts like a weak word.
 */
function poolWeights(terms: readonly TermMatch[], prepared: readonly PreparedHit[]): number[] {
  const total = prepared.length;
  return terms.map((term, index) => {
    const held = prepared.filter((hit) => hit.forms[index] !== undefined).length;
    const frequency = Math.max(ABSENT_AS, held);
    const idf = Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
    return term.weight * idf * (held === 0 && term.context ? ABSENT_CONTEXT_WEIGHT : 1);
  });
}

/**
 * The share of the question's subject (its own weights: weak words count less) that the hit's
 * title names together with one of its section headings or one list item's lead ("**Cloudflare**:
 * …"). An article that answers a question names its subject where it says what a section is
 * about; one that only mentions the subject's words in passing ("Archived projects are left out
 * of search" for "how do i archive a project") names none of it there.
 */
function headingShare(terms: readonly TermMatch[], hit: PreparedHit): number {
  const total = terms.reduce((sum, { weight }) => sum + weight, 0);
  if (total === 0) return 0;
  const none: ReadonlySet<string> = new Set<string>();
  let best = 0;
  for (const { heading, leads } of hit.read.length ? hit.read : [{ heading: none, leads: [] }]) {
    for (const lead of leads.length ? leads : [none]) {
      let sum = 0;
      for (const [t, { weight }] of terms.entries()) {
        const form = hit.forms[t];
        if (form !== undefined && (hit.title.has(form) || heading.has(form) || lead.has(form))) sum += weight;
      }
      if (sum > best) best = sum;
    }
  }
  return best / total;
}

function matchHit(
  terms: readonly TermMatch[],
  weights: readonly number[],
  hit: PreparedHit,
  wantsSteps: boolean,
): HitMatch {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return { coverage: 0, titleCoverage: 0, bestPassage: 0 };
  const credit = (index: number, ...vocabularies: ReadonlySet<string>[]) => {
    const form = hit.forms[index];
    if (form === undefined || !vocabularies.some((vocabulary) => vocabulary.has(form))) return 0;
    return (weights[index] ?? 0) * (form === terms[index]?.term ? 1 : 0.8);
  };
  const cover = (...vocabularies: ReadonlySet<string>[]) =>
    weights.reduce((sum, _weight, index) => sum + credit(index, ...vocabularies), 0) / total;

  let best = { index: 0, coverage: hit.passages.length === 0 ? cover(hit.title) : 0, rank: -1 };
  for (const [index, vocabulary] of hit.passageTerms.entries()) {
    const coverage = cover(hit.title, vocabulary);
    // Between passages covering the question alike, the one whose heading names it wins, then one with steps.
    const passage = hit.passages[index] as Passage;
    const rank =
      coverage +
      0.05 * cover((hit.read[index] as ReadPassage).heading) +
      (wantsSteps && /^\s*1[.)]\s/m.test(passage.text) ? 0.03 : 0);
    if (rank > best.rank) best = { index, coverage, rank };
  }
  // The whole text counts too, less: a question can be answered across two sections.
  const coverage = Math.max(best.coverage, cover(...hit.vocabularies) * WHOLE_TEXT_FACTOR);
  return { coverage, titleCoverage: cover(hit.title), bestPassage: best.index };
}

/**
 * The first word, in the title and then passage by passage, that is a near form of `term`. Each
 * vocabulary is a cached reading of a text that comes back on every question (`termSet`,
 * `readPassage`), so what each term finds in it is kept with it: the scan is the costliest part
 * of ranking a hit, and the same question words meet the same articles all day.
 */
function nearFormIn(term: string, vocabularies: ReadonlyArray<ReadonlySet<string>>): string | undefined {
  for (const vocabulary of vocabularies) {
    let found = nearForms.get(vocabulary);
    if (found === undefined) {
      found = new Map();
      nearForms.set(vocabulary, found);
    } else if (found.size >= NEAR_FORMS_KEPT) {
      found.clear();
    }
    let form = found.get(term);
    if (form === undefined) {
      form = nearForm(term, vocabulary) ?? null;
      found.set(term, form);
    }
    if (form !== null) return form;
  }
  return undefined;
}

const nearForms = new WeakMap<ReadonlySet<string>, Map<string, string | null>>();
/** Question words remembered per vocabulary before it starts over: a day's worth, not a lifetime's. */
const NEAR_FORMS_KEPT = 2_000;

/** A word of the vocabulary that is a typo (one edit) or a longer or shorter form of `term`. */
function nearForm(term: string, vocabulary: ReadonlySet<string>): string | undefined {
  if (term.length < 4) return undefined;
  for (const word of vocabulary) {
    if (word.length < 4 || Math.abs(word.length - term.length) > 4) continue;
    if (word.startsWith(term) || term.startsWith(word)) return word;
    if (
      term.length >= 5 &&
      Math.abs(word.length - term.length) <= 1 &&
      (word[0] === term[0] || word[1] === term[1]) &&
      editDistanceWithin(term, word, 1) <= 1
    )
      return word;
  }
  return undefined;
}

/** "How do I…", "how to…", "steps to…": a question whose answer is a procedure. */
export function asksHow(question: string): boolean {
  return /\b(?:how|steps?|walk me through|where do i|where can i)\b/i.test(question);
}

/** Each hit's standing in its own source, 0..1: its score over the source's best score, by rank as well. */
function strengthInSource(hits: readonly KnowledgeHit[]): Map<KnowledgeHit, number> {
  const bySource = new Map<string, KnowledgeHit[]>();
  for (const hit of hits) bySource.set(hit.source, [...(bySource.get(hit.source) ?? []), hit]);
  const strength = new Map<KnowledgeHit, number>();
  for (const sourceHits of bySource.values()) {
    const ordered = [...sourceHits].sort((a, b) => b.score - a.score);
    const best = ordered[0]?.score ?? 0;
    for (const [rank, hit] of ordered.entries()) {
      const byScore = best > 0 ? Math.max(0, hit.score) / best : 0;
      strength.set(hit, (byScore + 1 / (1 + rank)) / 2);
    }
  }
  return strength;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** What the found decision weighs, each 0..1 (see decideFound). */
export interface FoundFeatures {
  /** The best hit's relevance. */
  relevance: number;
  /** The share of the question (weighted) the best hit's best passage covers. */
  coverage: number;
  /** The share of the question's subject (weighted) that no hit of any source holds. */
  unknown: number;
  /** The share of the question's subject the best hit does not hold anywhere. */
  topMissing: number;
  /** Relevance lead over the next hit. */
  margin: number;
  /**
   * Relevance lead over the best hit that holds a subject term the best hit lacks (answers
   * something else); only terms of the clauses that ask count, not the context around them.
   */
  rivalMargin: number;
  /** How many subject terms the question has. */
  terms: number;
  /**
   * The share of what the question's asking clause names (weighted) that the best hit holds: 1
   * when every clause asks (or none), or when the asking clause points back at the context with a
   * pronoun ("can i undo that"), since then its own words do not say what is asked.
   */
  asked: number;
  /**
   * The share of the question's subject (weighted) that the best hit's title names together with
   * one of its section headings or list-item leads: low when the hit only mentions the subject's
   * words in passing, under headings about something else.
   */
  headed: number;
  /** The share of the question (weighted) that one sentence of the best hit holds, with its title and heading. */
  sentence: number;
  /**
   * 0 when the question asks for a number ("how much", "how many", a limit, a price) and no
   * sentence of the best hit that holds its subject gives one; 1 otherwise.
   */
  answerType: number;
}

const ASKS_NUMBER =
  /\bhow (?:much|many|long|often|big|large|fast)\b|\b(?:price|cost|costs|maximum|max|minimum)\b/i;

export function foundFeatures(ranked: readonly RankedHit[], question = ''): FoundFeatures {
  const [top, ...rest] = ranked;
  if (!top)
    return {
      relevance: 0,
      coverage: 0,
      unknown: 1,
      topMissing: 1,
      margin: 0,
      rivalMargin: 0,
      terms: 0,
      asked: 0,
      headed: 0,
      sentence: 0,
      answerType: 0,
    };
  const terms = [...(top.matched ?? []), ...(top.missing ?? [])];
  const unknown = (top.missing ?? []).filter((term) =>
    ranked.every((hit) => (hit.missing ?? []).includes(term)),
  );
  const weight = (term: string) => (WEAK_TERMS.has(term) ? WEAK_WEIGHT : 1);
  const total = terms.reduce((sum, term) => sum + weight(term), 0) || 1;
  const share = (subset: readonly string[]) => subset.reduce((sum, term) => sum + weight(term), 0) / total;
  const topMatched = new Set(top.matched ?? []);
  const focus = questionFocus(question);
  const asks = (term: string) => !focus || focus.asking.has(term);
  // A hit holding only context words the best hit lacks ("…when jake left the company") answers nothing else.
  const rival = rest.find((hit) =>
    (hit.matched ?? []).some((term) => !topMatched.has(term) && !WEAK_TERMS.has(term) && asks(term)),
  );
  const askedTerms = terms.filter(asks);
  const asked =
    focus && !focus.pointsBack && askedTerms.length > 0
      ? share(askedTerms.filter((term) => topMatched.has(term))) / share(askedTerms)
      : 1;
  return {
    relevance: top.relevance,
    coverage: top.coverage ?? top.relevance,
    unknown: round(share(unknown)),
    topMissing: round(share(top.missing ?? [])),
    margin: round(top.relevance - (rest[0]?.relevance ?? 0)),
    rivalMargin: round(top.relevance - (rival?.relevance ?? 0)),
    terms: terms.length,
    asked: round(asked),
    // A hit not ranked here (no `headed`) is not held to it.
    headed: top.headed ?? 1,
    ...sentenceFeatures(top, terms, weight, total, ASKS_NUMBER.test(question)),
  };
}

/**
 * The best share of `terms` one sentence of the hit holds (its title and the sentence's heading
 * count), and whether a sentence holding that much gives a number when the question asks for one.
 */
function sentenceFeatures(
  hit: RankedHit,
  terms: readonly string[],
  weight: (term: string) => number,
  total: number,
  wantsNumber: boolean,
): { sentence: number; answerType: number } {
  const wanted = new Set(hit.matched ?? []);
  if (wanted.size === 0) return { sentence: 0, answerType: wantsNumber ? 0 : 1 };
  const holds = (vocabulary: ReadonlySet<string>, term: string) => {
    if (vocabulary.has(term)) return true;
    for (const word of vocabulary)
      if (word.length >= 4 && (word.startsWith(term) || term.startsWith(word))) return true;
    return false;
  };
  const title = termSet(hit.title);
  const scored: Array<{ share: number; text: string; passage: number }> = [];
  for (const [index, passage] of passagesOf(hit).entries()) {
    const heading = termSet(passage.heading ?? '');
    // The same units the reply quotes (sentences and steps), read once per text.
    for (const { text } of passageUnits(passage.text)) {
      const words = termSet(text);
      let sum = 0;
      for (const term of terms) {
        if (wanted.has(term) && (title.has(term) || heading.has(term) || holds(words, term)))
          sum += weight(term);
      }
      scored.push({ share: sum / total, text, passage: index });
    }
  }
  const best = Math.max(0, ...scored.map(({ share }) => share));
  // The number is in a sentence holding the subject or in the one next to it, in the same passage:
  // "## Respond quickly" … "Return any 2xx status within 10 seconds".
  const givesNumber = (index: number) => {
    const unit = scored[index];
    return unit !== undefined && /\d|\bunlimited\b|\bno limit\b/i.test(unit.text) ? unit.passage : undefined;
  };
  const answerType =
    !wantsNumber ||
    scored.some(
      ({ share, passage }, i) =>
        share >= best * 0.75 &&
        (givesNumber(i) === passage || givesNumber(i - 1) === passage || givesNumber(i + 1) === passage),
    )
      ? 1
      : 0;
  return { sentence: round(best), answerType };
}
