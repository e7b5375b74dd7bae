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
  const plain = text.replace(/\s+/g, ' ').trim();
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

/**
 * Patterns by their terms: a question's terms are matched against several articles, and compiling
 * a Unicode pattern costs more than running it.
 */
const patterns = new Map<string, RegExp>();
const PATTERN_CACHE_MAX = 500;

/** Every place a word of `text` starts with one of `terms`, in order of position. */
function findOccurrences(text: string, terms: readonly string[]): Occurrence[] {
  const wanted = [
    ...new Set(terms.map((term) => term.trim().toLowerCase()).filter((term) => term.length > 1)),
  ];
  if (!wanted.length) return [];
  const alternatives = wanted.sort((a, b) => b.length - a.length).map(escapeRegExp);
  // Matched in the lowercased text, without the `i` flag (case folding over all of Unicode makes
  // the pattern slow), unless lowercasing moved a character and the indices would no longer agree.
  const lower = text.toLowerCase();
  const foldCase = lower.length !== text.length;
  const key = `${foldCase ? 'i' : ''}${alternatives.join('|')}`;
  let pattern = patterns.get(key);
  if (!pattern) {
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})`, foldCase ? 'giu' : 'gu');
    if (patterns.size >= PATTERN_CACHE_MAX) patterns.clear();
    patterns.set(key, pattern);
  }
  const occurrences: Occurrence[] = [];
  for (const match of (foldCase ? text : lower).matchAll(pattern)) {
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
