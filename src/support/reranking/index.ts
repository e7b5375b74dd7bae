export { blendSimilarity, cosine, embeddedText, SIMILARITY_WEIGHT } from './blend.js';
export {
  EmbeddingReranker,
  type EmbeddingRerankerOptions,
  RERANK_DEADLINE_MS,
} from './embedding-reranker.js';
export { type Embedder, EmbedderError, type EmbeddingCache, type Reranker } from './ports.js';
