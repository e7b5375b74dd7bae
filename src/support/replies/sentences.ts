import { BoundedCache } from '../bounded-cache.js';
/** A unit of a passage a reply may quote whole: a sentence of a paragraph, or one numbered step. */
export interface PassageUnit {
  kind: 'sentence' | 'step';
  text: string;
  /** Position of the line (paragraph or list item) the unit belongs to. */
  line: number;
  /** For a step: its number as written. */
  step?: number;
}

const STEP = /^\s*(\d{1,2})[.)]\s+(.+)$/;
const BULLET = /^\s*(?:[-*+•]|\[[ x]\])\s+(.+)$/;
/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS = /(?:\b(?:e\.g|i\.e|etc|vs|approx|incl|no|mr|mrs|ms|dr|st|fig|cf)\.|\b[A-Z]\.)$/i;

/**
 * The units of a passage: each numbered line is a step; other lines (paragraphs, bullet items) are
 * split into whole sentences. A text cut by a snippet ("…" at either end) loses its cut sentences,
 * so no unit is ever half a sentence. The result is cached by text and shared: do not change it.
 */
export function passageUnits(text: string): readonly PassageUnit[] {
  return unitsCache.get(text, () => splitUnits(text));
}

/** Passages split before, by text: kb sections and pages come back unchanged on every question. */
const unitsCache = new BoundedCache<readonly PassageUnit[]>(5_000);

function splitUnits(text: string): PassageUnit[] {
  const units: PassageUnit[] = [];
  const lines = text.split(/\r?\n/);
  for (const [line, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const step = STEP.exec(trimmed);
    if (step) {
      units.push({ kind: 'step', text: finish((step[2] ?? '').trim()), line, step: Number(step[1]) });
      continue;
    }
    const body = BULLET.exec(trimmed)?.[1] ?? trimmed;
    const startsCut = body.startsWith('…');
    const endsCut = body.endsWith('…');
    const sentences = splitSentences(body.replace(/^…\s*/, '').replace(/\s*…$/, ''));
    if (startsCut) sentences.shift();
    if (endsCut) sentences.pop();
    for (const sentence of sentences) {
      if (isSentence(sentence)) units.push({ kind: 'sentence', text: sentence, line });
    }
  }
  return units;
}

/** Whole sentences of a paragraph, split after . ! ? before a capital, a digit or a quote. */
export function splitSentences(paragraph: string): string[] {
  const text = paragraph.replace(/\s+/g, ' ').trim();
  if (!text) return [];
  const sentences: string[] = [];
  let start = 0;
  const boundary = /[.!?]["'”’)]?\s+(?=["“'(]?[A-Z0-9])/g;
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].trimEnd().length;
    const candidate = text.slice(start, end);
    if (ABBREVIATIONS.test(candidate.replace(/["'”’)]$/, ''))) continue;
    sentences.push(candidate.trim());
    start = match.index + match[0].length;
  }
  const last = text.slice(start).trim();
  if (last) sentences.push(last);
  return sentences;
}

/** A sentence worth quoting: some words, and not a heading-like fragment of two words. */
function isSentence(text: string): boolean {
  return text.split(/\s+/).length >= 3;
}

/** A step ends with punctuation so that its citation reads after a full stop. */
function finish(text: string): string {
  return /[.!?:;…)]$/.test(text) ? text : `${text}.`;
}
