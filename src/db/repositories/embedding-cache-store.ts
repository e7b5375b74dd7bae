import { createHash } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { EmbeddingCache } from '../../support/reranking/index.js';
import type { Db } from '../client.js';
import { embeddingCache } from '../schema/index.js';

/** Passages' embeddings in `embedding_cache`, found again by the SHA-256 of their text. */
export class DrizzleEmbeddingCache implements EmbeddingCache {
  constructor(private readonly db: Db) {}

  async get(model: string, texts: readonly string[]): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    if (texts.length === 0) return found;
    const hashes = texts.map(textHash);
    const rows = await this.db
      .select({ textHash: embeddingCache.textHash, dims: embeddingCache.dims, vector: embeddingCache.vector })
      .from(embeddingCache)
      .where(and(eq(embeddingCache.model, model), inArray(embeddingCache.textHash, [...new Set(hashes)])));
    // A row cut short (by hand, or a bug) is treated as absent: it is embedded again.
    const byHash = new Map(
      rows.filter((row) => row.vector.length === row.dims).map((row) => [row.textHash, row.vector]),
    );
    for (const [index, text] of texts.entries()) {
      const vector = byHash.get(hashes[index] as string);
      if (vector) found.set(text, vector);
    }
    return found;
  }

  async put(model: string, entries: ReadonlyArray<{ text: string; vector: number[] }>): Promise<void> {
    if (entries.length === 0) return;
    await this.db
      .insert(embeddingCache)
      .values(
        entries.map(({ text, vector }) => ({ model, textHash: textHash(text), dims: vector.length, vector })),
      )
      .onConflictDoNothing();
  }
}

function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
