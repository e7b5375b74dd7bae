import { termSet } from '../analysis.js';
import { passagesOf, weightedTerms } from '../ranking.js';
import type { Citation, RankedHit, Reply, ReplyPart } from '../types.js';
import { type PassageUnit, passageUnits } from './sentences.js';

/** At most this many sentences from one source, and steps from a list. */
const MAX_SENTENCES = 3;
const MAX_STEPS = 8;
/** Sentences are added while the reply stays shorter than this (steps are never cut short). */
const SENTENCES_CHARS_MAX = 480;

/** A reply and the hits it cites, in the order of their `[n]`. */
export interface DraftedReply {
  reply: Reply;
  cited: RankedHit[];
}

/**
 * The extractive reply: the sentences (or the numbered steps) of the best passages that answer
 * the question, quoted whole and each followed by its citation. The best hit is always the first
 * source; a hit from another source that covers the question as well adds one sentence of its
 * own. Returns undefined when no hit has text to quote.
 */
export function extractiveReply(question: string, ranked: readonly RankedHit[]): DraftedReply | undefined {
  const weights = new Map(weightedTerms(question).map(({ term, weight }) => [term, weight]));
  const withText = ranked.filter((hit) =>
    passagesOf(hit).some((passage) => passageUnits(passage.text).length),
  );
  const [top, ...others] = withText;
  if (!top) return undefined;

  const parts: ReplyPart[] = [];
  const cited: RankedHit[] = [top];
  parts.push(...quoteHit(top, weights, 1));

  const second = others.find(
    (hit) => hit.source !== top.source && (hit.coverage ?? 0) >= Math.max(0.6, (top.coverage ?? 0) - 0.05),
  );
  if (second && parts.every((part) => part.kind === 'sentence') && parts.length < MAX_SENTENCES) {
    const [best] = rankUnits(unitsOf(second), weights).filter((unit) => unit.score > 0);
    if (best && !parts.some((part) => part.text === best.unit.text)) {
      cited.push(second);
      parts.push({ kind: 'sentence', text: best.unit.text, cites: [2] });
    }
  }
  const citations: Citation[] = cited.map((hit, index) => ({
    n: index + 1,
    title: hit.title,
    ...(hit.url ? { url: hit.url } : {}),
    source: hit.source,
  }));
  return { reply: { text: replyText(parts), method: 'extractive', parts, citations }, cited };
}

/** The reply as plain text: sentences run on, steps one a line, each with its `[n]`. */
export function replyText(parts: readonly ReplyPart[]): string {
  const lines: string[] = [];
  let paragraph: string[] = [];
  let step = 0;
  const flush = () => {
    if (paragraph.length) lines.push(paragraph.join(' '));
    paragraph = [];
  };
  for (const part of parts) {
    const cites = part.cites.map((n) => `[${n}]`).join('');
    if (part.kind === 'step') {
      flush();
      step++;
      lines.push(`${step}. ${part.text} ${cites}`);
    } else {
      paragraph.push(`${part.text} ${cites}`);
    }
  }
  flush();
  return lines.join('\n');
}

interface ScoredUnit {
  unit: PassageUnit;
  score: number;
  order: number;
}

/** The parts quoted from one hit: its steps when its best passage is a list of them, else its best sentences. */
function quoteHit(hit: RankedHit, weights: ReadonlyMap<string, number>, n: number): ReplyPart[] {
  const units = unitsOf(hit);
  const steps = stepRun(units);
  if (steps.length >= 2) {
    const firstStepOrder = units.indexOf(steps[0] as PassageUnit);
    const [leadIn] = rankUnits(units.slice(0, firstStepOrder), weights).filter((unit) => unit.score > 0);
    return [
      ...(leadIn ? [{ kind: 'sentence' as const, text: leadIn.unit.text, cites: [n] }] : []),
      ...steps.slice(0, MAX_STEPS).map((unit) => ({ kind: 'step' as const, text: unit.text, cites: [n] })),
    ];
  }
  const scored = rankUnits(units, weights);
  const useful = scored.filter((unit) => unit.score > 0);
  // Nothing matches word for word (synonyms, a snippet): the passage's opening sentences are its gist.
  const chosen: ScoredUnit[] = [];
  let length = 0;
  for (const candidate of useful.length ? useful : scored.sort((a, b) => a.order - b.order).slice(0, 2)) {
    if (chosen.length >= MAX_SENTENCES) break;
    if (chosen.length > 0 && length + candidate.unit.text.length > SENTENCES_CHARS_MAX) continue;
    if (chosen.length > 0 && useful.length && candidate.score < (useful[0]?.score ?? 0) * 0.34) continue;
    chosen.push(candidate);
    length += candidate.unit.text.length;
  }
  return chosen
    .sort((a, b) => a.order - b.order)
    .map((candidate) => ({ kind: 'sentence' as const, text: candidate.unit.text, cites: [n] }));
}

/** The units of the hit's best passage, or of its first passage with text. */
function unitsOf(hit: RankedHit): readonly PassageUnit[] {
  const passages = passagesOf(hit);
  const best = passages[hit.bestPassage ?? 0];
  const units = best ? passageUnits(best.text) : [];
  if (units.length) return units;
  for (const passage of passages) {
    const found = passageUnits(passage.text);
    if (found.length) return found;
  }
  return [];
}

/** The longest run of numbered steps on consecutive lines. */
function stepRun(units: readonly PassageUnit[]): PassageUnit[] {
  let best: PassageUnit[] = [];
  let current: PassageUnit[] = [];
  for (const unit of units) {
    const previous = current.at(-1);
    if (unit.kind === 'step' && (!previous || unit.line <= previous.line + 2)) current.push(unit);
    else if (unit.kind === 'step') current = [unit];
    else {
      if (current.length > best.length) best = current;
      current = [];
    }
    if (current.length > best.length) best = [...current];
  }
  return best;
}

/** Units best first: the weight of the question's terms each holds, earlier units winning ties. */
function rankUnits(units: readonly PassageUnit[], weights: ReadonlyMap<string, number>): ScoredUnit[] {
  return units
    .map((unit, order) => {
      const terms = termSet(unit.text);
      let score = 0;
      for (const [term, weight] of weights) {
        if (terms.has(term)) score += weight;
        else if (term.length >= 4 && [...terms].some((word) => word.length >= 4 && word.startsWith(term)))
          score += weight * 0.7;
      }
      return { unit, score: score > 0 ? score + 0.05 / (1 + order) : 0, order };
    })
    .sort((a, b) => b.score - a.score || a.order - b.order);
}
