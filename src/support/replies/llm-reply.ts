import { passagesOf } from '../ranking.js';
import type { Citation, RankedHit, Reply, ReplyPart } from '../types.js';
import { replyText } from './extractive.js';
import { partIsSupported } from './grounding.js';
import type { ChatMessage, LlmOutcome } from './ports.js';
import { splitSentences } from './sentences.js';

/** How many passages a model is given, and how much of each. */
export const LLM_PASSAGES_MAX = 3;
const PASSAGE_CHARS_MAX = 1500;

/** A passage as the model sees it, numbered as it must cite it. */
export interface NumberedPassage {
  n: number;
  hit: RankedHit;
  title: string;
  source: string;
  url?: string;
  text: string;
}

/** The best passage of each of the top hits, numbered from 1. */
export function numberPassages(ranked: readonly RankedHit[]): NumberedPassage[] {
  return ranked
    .map((hit) => ({ hit, passage: passagesOf(hit)[hit.bestPassage ?? 0] }))
    .filter((entry) => entry.passage?.text.trim())
    .slice(0, LLM_PASSAGES_MAX)
    .map(({ hit, passage }, index) => ({
      n: index + 1,
      hit,
      title: hit.title,
      source: hit.source,
      ...(hit.url ? { url: hit.url } : {}),
      text: clip(`${passage?.heading ? `${passage.heading}\n` : ''}${passage?.text ?? ''}`),
    }));
}

/** The chat that asks a model to answer from the passages only, citing each sentence. */
export function replyPrompt(question: string, passages: readonly NumberedPassage[]): ChatMessage[] {
  const system = [
    'You answer support questions for a help desk, using ONLY the numbered passages you are given.',
    'Write one to three short sentences, or numbered steps ("1. ...") when the passage gives steps.',
    'End every sentence and every step with the number of the passage that supports it, like [1] or [2].',
    'Do not add anything the passages do not say. If they do not answer the question, say so in one sentence citing the closest passage.',
    'Plain text only: no markdown, no headings, no links.',
  ].join('\n');
  const numbered = passages
    .map((passage) => `[${passage.n}] ${passage.title} (${passage.source})\n${passage.text}`)
    .join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: `Question: ${question}\n\nPassages:\n\n${numbered}` },
  ];
}

export type ParsedModelReply =
  | { ok: true; reply: Reply; cited: RankedHit[] }
  | {
      ok: false;
      outcome: Extract<LlmOutcome, 'uncited' | 'unknown_citation' | 'unsupported' | 'malformed'>;
      detail: string;
    };

const CITATION = /\s*\[(\d+)\]/g;

/**
 * Reads a model's text as a reply held to the passages: every sentence and step must cite a
 * passage it was given, and say mostly what that passage says. Citations are renumbered in
 * the order they first appear, so the card lists only the sources cited.
 */
export function parseModelReply(text: string, passages: readonly NumberedPassage[]): ParsedModelReply {
  const raw: Array<{ kind: ReplyPart['kind']; text: string; cites: number[] }> = [];
  for (const line of text.replace(/\r/g, '').split('\n')) {
    const trimmed = line.trim().replace(/^[-*•]\s+/, '');
    if (!trimmed) continue;
    const step = /^\d{1,2}[.)]\s+(.+)$/.exec(trimmed);
    const units = step ? [step[1] ?? ''] : splitOnCitations(trimmed);
    for (const unit of units) {
      const cites = [...unit.matchAll(CITATION)].map((match) => Number(match[1]));
      const bare = unit
        .replace(CITATION, '')
        .replace(/\s+([.!?,;:])/g, '$1')
        .trim();
      if (!bare) continue;
      raw.push({ kind: step ? 'step' : 'sentence', text: bare, cites });
    }
  }
  if (raw.length === 0) return { ok: false, outcome: 'malformed', detail: 'the model wrote no sentence' };
  const uncited = raw.find((part) => part.cites.length === 0);
  if (uncited)
    return { ok: false, outcome: 'uncited', detail: `cites nothing: "${uncited.text.slice(0, 80)}"` };
  const unknown = raw.flatMap((part) => part.cites).find((n) => !passages.some((passage) => passage.n === n));
  if (unknown !== undefined)
    return { ok: false, outcome: 'unknown_citation', detail: `cites [${unknown}], which was not given` };

  const order: number[] = [];
  for (const part of raw) for (const n of part.cites) if (!order.includes(n)) order.push(n);
  const cited = order.map((n) => (passages.find((passage) => passage.n === n) as NumberedPassage).hit);
  const parts: ReplyPart[] = raw.map((part) => ({
    kind: part.kind,
    text: part.text,
    cites: [...new Set(part.cites.map((n) => order.indexOf(n) + 1))],
  }));
  const unsupported = parts.find((part) => !partIsSupported(part, cited, 'llm'));
  if (unsupported)
    return {
      ok: false,
      outcome: 'unsupported',
      detail: `not in the passages it cites: "${unsupported.text.slice(0, 80)}"`,
    };
  const citations: Citation[] = cited.map((hit, index) => ({
    n: index + 1,
    title: hit.title,
    ...(hit.url ? { url: hit.url } : {}),
    source: hit.source,
  }));
  return { ok: true, reply: { text: replyText(parts), method: 'llm', parts, citations }, cited };
}

/** Sentences of a line, a citation staying with the sentence it ends ("… page. [1] Then …"). */
function splitOnCitations(line: string): string[] {
  return splitSentences(
    line.replace(
      /([.!?])\s*((?:\[\d+\]\s*)+)/g,
      (_match, stop: string, cites: string) => ` ${cites.trim()}${stop} `,
    ),
  );
}

function clip(text: string): string {
  if (text.length <= PASSAGE_CHARS_MAX) return text;
  const cut = text.slice(0, PASSAGE_CHARS_MAX);
  const end = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf('. '));
  return end > PASSAGE_CHARS_MAX / 2 ? cut.slice(0, end + 1) : cut;
}
