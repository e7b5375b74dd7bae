const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does did for from has have how i if in into is it its ' +
    'me my of on or our please so that the their then there these this to was we what when where which ' +
    "who why will with would you your can't cannot dont don't im i'm hi hello hey thanks help any"
  ).split(' '),
);

/** Lowercased words of a text, without punctuation. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9']+/)
    .map((word) => word.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

/** The words that carry meaning: no stop words, no one-letter words. */
export function keyTerms(text: string): string[] {
  return [...new Set(words(text).filter((word) => word.length > 1 && !STOP_WORDS.has(word)))];
}

/** Near-duplicate questions ("How do I reset my password?" / "password reset how") share a fingerprint. */
export function fingerprint(text: string): string {
  return keyTerms(text)
    .map(stem)
    .filter((term, index, all) => all.indexOf(term) === index)
    .sort()
    .slice(0, 12)
    .join(' ');
}

/** A light stem so that "resetting", "resets" and "reset" meet. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ing', 'ed', 'es', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) {
      const stemmed = word.slice(0, -suffix.length);
      // "resetting" -> "resett" -> "reset"; "billing" keeps its "ll".
      return suffix.length > 1 && /([^aeiouls])\1$/.test(stemmed) ? stemmed.slice(0, -1) : stemmed;
    }
  }
  return word;
}

/** Cuts a text to `max` characters on a word boundary; says whether it cut. */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const trimmed = text.trim();
  if (trimmed.length <= max) return { text: trimmed, truncated: false };
  const cut = trimmed.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return { text: `${lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut}…`, truncated: true };
}
