import type { Logger } from 'pino';
import { mayLeaveWorkspace } from '../privacy.js';
import type { Question, RankedHit } from '../types.js';
import { blendSimilarity, EMBEDDED_CHARS_MAX, embeddedText, SIMILARITY_WEIGHT } from './blend.js';
import { type Embedder, EmbedderError, type EmbeddingCache, type Reranker } from './ports.js';

/** How long an answer waits for the embeddings before it goes out on the lexical ranking. */
export const RERANK_DEADLINE_MS = 800;

export interface EmbeddingRerankerOptions {
  embedder: Embedder;
  /** Passages' vectors kept between questions; without it every passage is embedded every time. */
  cache?: EmbeddingCache;
  deadlineMs?: number;
  /** Whether text asked in a private channel or a DM may be sent to the embeddings endpoint. */
  privateOk?: boolean;
  /** The similarity's share of the blended relevance. */
  weight?: number;
  logger?: Logger;
}

/**
 * Hybrid reranking: blends each hit's lexical relevance with the similarity of its embedding to
 * the question's. Passages' vectors come from the cache when there, the rest (and the question)
 * from the embedder in one request. On a timeout, any error of the endpoint or the cache, or
 * vectors that do not fit, it logs one warning and returns the lexical ranking unchanged.
 */
export class EmbeddingReranker implements Reranker {
  private readonly pendingWrites = new Set<Promise<void>>();

  constructor(private readonly options: EmbeddingRerankerOptions) {}

  /** Waits for the cache writes still under way (before a short-lived process exits). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingWrites]);
  }

  async rerank(question: Question, ranked: RankedHit[]): Promise<RankedHit[]> {
    if (ranked.length === 0) return ranked;
    if (!mayLeaveWorkspace(question, this.options.privateOk ?? false)) return ranked;
    const deadlineMs = this.options.deadlineMs ?? RERANK_DEADLINE_MS;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), deadlineMs);
    });
    const texts = ranked.map(embeddedText);
    try {
      const vectors = await Promise.race([this.vectors(question.text, texts, controller.signal), deadline]);
      if (vectors === 'deadline') {
        controller.abort(new Error(`no embeddings within ${deadlineMs} ms`));
        return this.fallBack(question, ranked, `no embeddings within ${deadlineMs} ms`);
      }
      return blendSimilarity(
        ranked,
        vectors.question,
        texts.map((text) => vectors.byText.get(text) ?? []),
        this.options.weight ?? SIMILARITY_WEIGHT,
      );
    } catch (error) {
      return this.fallBack(question, ranked, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  }

  private async vectors(
    questionText: string,
    texts: readonly string[],
    signal: AbortSignal,
  ): Promise<{ question: number[]; byText: Map<string, number[]> }> {
    const { embedder, cache } = this.options;
    const unique = [...new Set(texts)];
    const byText = cache ? await cache.get(embedder.model, unique) : new Map<string, number[]>();
    const missing = unique.filter((text) => !byText.has(text));
    const fresh = await embedder.embed([questionText.slice(0, EMBEDDED_CHARS_MAX), ...missing], { signal });
    const [question, ...missingVectors] = fresh;
    if (!question || missingVectors.length !== missing.length)
      throw new EmbedderError(`asked for ${missing.length + 1} embeddings, got ${fresh.length}`, 'malformed');
    for (const [index, text] of missing.entries()) byText.set(text, missingVectors[index] as number[]);
    const misfit = [...byText.values()].find((vector) => vector.length !== question.length);
    if (misfit)
      throw new EmbedderError(
        `a passage's vector has ${misfit.length} dimensions, the question's ${question.length}`,
        'malformed',
      );
    if (cache && missing.length > 0) {
      this.remember(
        cache,
        missing.map((text, index) => ({ text, vector: missingVectors[index] as number[] })),
      );
    }
    return { question, byText };
  }

  /** Writes new vectors in the background: the answer does not wait for the cache. */
  private remember(cache: EmbeddingCache, entries: Array<{ text: string; vector: number[] }>): void {
    const pending = cache
      .put(this.options.embedder.model, entries)
      .catch((error: unknown) => {
        this.options.logger?.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'could not cache the passages’ embeddings',
        );
      })
      .finally(() => this.pendingWrites.delete(pending));
    this.pendingWrites.add(pending);
  }

  private fallBack(question: Question, ranked: RankedHit[], detail: string): RankedHit[] {
    this.options.logger?.warn(
      { questionId: question.id, model: this.options.embedder.model, detail },
      'reranking with embeddings failed; answering on the lexical ranking',
    );
    return ranked;
  }
}
