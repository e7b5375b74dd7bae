import { BoundedCache } from '../../support/bounded-cache.js';

/** Default snippet length in characters, ellipses aside. */
export const SNIPPET_LENGTH = 240;

/** How much text to show before the first matched word, so the match reads in context. */
const LEAD_IN = 60;

interface Occurrence {
  term: string;
  index: number;
}

/**
 * Returns about `maxLength` characters of `text` around the passage where the most distinct
 * `terms` occur, cut on word boundaries and marked with "…" where text was left out. With no
 * match, returns the beginning of the text.
 */
export function buildSnippet(text: string, terms: readonly string[], maxLength = SNIPPET_LENGTH): string {
  const plain = plainTexts.get(text, () => text.replace(/\s+/g, ' ').trim());
  if (plain.length <= maxLength) return plain;

  const occurrences = findOccurrences(plain, terms);
  const windowStart = occurrences.length ? bestWindowStart(occurrences, maxLength) : 0;
  let start = Math.max(0, windowStart - LEAD_IN);
  let end = Math.min(plain.length, start + maxLength);
  start = Math.max(0, end - maxLength);

  if (start > 0) start = nextWordStart(plain, start);
  if (end < plain.length) end = previousWordEnd(plain, end, start);
  const passage = plain.slice(start, end).trim();
  return `${start > 0 ? '…' : ''}${passage}${end < plain.length ? '…' : ''}`;
}

/** Each text on one line: the kb's sections come back on every question, each read once. */
const plainTexts = new BoundedCache<string>(2000);

/** Each text's words with where they start, lowercased: the kb's texts are few and searched again and again. */
const wordsByText = new BoundedCache<readonly Occurrence[]>(2000);
const WORD = /[\p{L}\p{N}]+/gu;

function wordsOf(text: string): readonly Occurrence[] {
  return wordsByText.get(text, () =>
    Array.from(text.matchAll(WORD), (match) => ({ term: match[0].toLowerCase(), index: match.index })),
  );
}

/** Every place a word of `text` starts with one of `terms`, in order of position. */
function findOccurrences(text: string, terms: readonly string[]): Occurrence[] {
  const wanted = [
    ...new Set(terms.map((term) => term.trim().toLowerCase()).filter((term) => term.length > 1)),
  ].sort((a, b) => b.length - a.length);
  if (!wanted.length) return [];
  if (wanted.some((term) => /[^\p{L}\p{N}]/u.test(term))) return findWithPattern(text, wanted);
  const occurrences: Occurrence[] = [];
  for (const word of wordsOf(text)) {
    const term = wanted.find((candidate) => word.term.startsWith(candidate));
    if (term) occurrences.push({ term, index: word.index });
  }
  return occurrences;
}

/** The same for terms of more than one word ("sign-in"): a pattern over the text. */
function findWithPattern(text: string, wanted: readonly string[]): Occurrence[] {
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${wanted.map(escapeRegExp).join('|')})`, 'giu');
  const occurrences: Occurrence[] = [];
  for (const match of text.matchAll(pattern)) {
    occurrences.push({ term: match[0].toLowerCase(), index: match.index });
  }
  return occurrences;
}

/** The occurrence that starts the window holding the most distinct terms, then the most occurrences. */
function bestWindowStart(occurrences: readonly Occurrence[], maxLength: number): number {
  let best = { index: 0, distinct: -1, total: -1 };
  for (let first = 0; first < occurrences.length; first++) {
    const origin = occurrences[first] as Occurrence;
    const seen = new Set<string>();
    let total = 0;
    for (let next = first; next < occurrences.length; next++) {
      const occurrence = occurrences[next] as Occurrence;
      if (occurrence.index + occurrence.term.length - origin.index > maxLength - LEAD_IN) break;
      seen.add(occurrence.term);
      total++;
    }
    if (seen.size > best.distinct || (seen.size === best.distinct && total > best.total)) {
      best = { index: origin.index, distinct: seen.size, total };
    }
  }
  return best.index;
}

function nextWordStart(text: string, from: number): number {
  if (/\s/.test(text[from - 1] ?? ' ')) return from;
  const space = text.indexOf(' ', from);
  return space === -1 ? from : space + 1;
}

function previousWordEnd(text: string, from: number, floor: number): number {
  if (/\s/.test(text[from] ?? ' ')) return from;
  const space = text.lastIndexOf(' ', from);
  return space <= floor ? from : space;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
