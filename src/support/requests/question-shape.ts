const QUESTION_OPENERS = new Set([
  'how',
  'what',
  'why',
  'where',
  'when',
  'who',
  'which',
  'can',
  'could',
  'is',
  'are',
  'does',
  'do',
  'did',
  'should',
  'would',
  'will',
  'any',
  'anyone',
  'has',
  'have',
  'help',
  'is there',
]);

/** Replies that close a turn rather than ask something: never answered as new questions. */
const ACKNOWLEDGEMENTS =
  /^(thanks?( you)?|thank you( so much)?|thx|ty|ok(ay)?|cool|great|perfect|got it|nice|awesome|works( now)?|that worked|solved|done|yes|no|yep|nope)[.!\s]*$/i;

/** Whether a message reads like a question: a `?`, or a first word such as how, why, can, is. */
export function looksLikeQuestion(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length < 3 || ACKNOWLEDGEMENTS.test(trimmed)) return false;
  if (trimmed.includes('?')) return true;
  const first = trimmed.toLowerCase().match(/^[a-z']+/)?.[0];
  return first !== undefined && QUESTION_OPENERS.has(first);
}
