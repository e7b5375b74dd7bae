import { passagesOf } from '../ranking.js';
import type { RankedHit } from '../types.js';

/** The share of the relevance the embeddings' similarity takes; the rest stays lexical. */
export const SIMILARITY_WEIGHT = 0.3;
/** Enough of a passage to say what it is about; embedding models cut long inputs anyway. */
export const EMBEDDED_CHARS_MAX = 2000;

/** The text of a hit that is compared with the question: its title and best passage, or its snippet. */
export function embeddedText(hit: RankedHit): string {
  const passage = passagesOf(hit)[hit.bestPassage ?? 0];
  const body = passage ? [passage.heading, passage.text].filter(Boolean).join('\n') : hit.snippet;
  return `${hit.title}\n${body}`.trim().slice(0, EMBEDDED_CHARS_MAX);
}

/** Cosine similarity of two vectors of the same length; 0 when either is all zeros. */
export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * The hits re-sorted on a relevance that blends the lexical one with the question's similarity
 * to each hit (cosine, negatives counted as 0): (1 − weight)·relevance + weight·similarity.
 * Hits tied on the blend keep their lexical order. `hitVectors[i]` belongs to `ranked[i]`.
 */
export function blendSimilarity(
  ranked: readonly RankedHit[],
  questionVector: readonly number[],
  hitVectors: ReadonlyArray<readonly number[]>,
  weight = SIMILARITY_WEIGHT,
): RankedHit[] {
  return ranked
    .map((hit, index) => {
      const similarity = Math.max(0, Math.min(1, cosine(questionVector, hitVectors[index] ?? [])));
      const relevance = (1 - weight) * hit.relevance + weight * similarity;
      return { ...hit, relevance: round(relevance), similarity: round(similarity) };
    })
    .sort((a, b) => b.relevance - a.relevance);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
