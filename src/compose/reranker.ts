import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.js';
import type { Db } from '../db/client.js';
import { DrizzleEmbeddingCache } from '../db/repositories/embedding-cache-store.js';
import { OpenAiEmbeddings } from '../llm/openai-embeddings.js';
import { EmbeddingReranker } from '../support/reranking/index.js';

/** Hybrid reranking with the EMBEDDINGS_MODEL at LLM_BASE_URL, cached in `embedding_cache`; undefined when unset. */
export function buildReranker(config: AppConfig, db: Db, logger: Logger): EmbeddingReranker | undefined {
  const { embeddings } = config;
  if (!embeddings) return undefined;
  return new EmbeddingReranker({
    embedder: new OpenAiEmbeddings({
      baseUrl: embeddings.baseUrl,
      model: embeddings.model,
      apiKey: embeddings.apiKey,
    }),
    cache: new DrizzleEmbeddingCache(db),
    // A fraction of the lookup's deadline, at most 800 ms: reranking must never make the answer late.
    deadlineMs: Math.min(800, Math.max(100, Math.round(config.lookupDeadlineMs / 4))),
    privateOk: embeddings.privateOk,
    logger,
  });
}
