import { ModelEndpointError } from '../ports.js';
import type { Question, RankedHit } from '../types.js';

/** An OpenAI-compatible `/embeddings` endpoint, as the reranker needs it. */
export interface Embedder {
  /** The model's name; cached vectors are kept per model. */
  readonly model: string;
  /** One vector per text, in the order given; throws {@link EmbedderError} (or an abort) on failure. */
  embed(texts: string[], options: { signal: AbortSignal }): Promise<number[][]>;
}

/** The embeddings could not be had, or came back in a shape that is not one vector per text. */
export class EmbedderError extends ModelEndpointError {
  override name = 'EmbedderError';
}

/** Vectors already computed for passages, per model; implemented with drizzle in src/db/repositories. */
export interface EmbeddingCache {
  /** The stored vectors of those texts that have one, keyed by the text. */
  get(model: string, texts: readonly string[]): Promise<Map<string, number[]>>;
  /** Stores vectors; a text already stored keeps its first vector. */
  put(model: string, entries: ReadonlyArray<{ text: string; vector: number[] }>): Promise<void>;
}

/** Reorders the lexically ranked hits of a question; never throws, returns them unchanged on any failure. */
export interface Reranker {
  rerank(question: Question, ranked: RankedHit[]): Promise<RankedHit[]>;
}
