import { integer, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Vectors of passages already embedded, per embeddings model, so a passage is sent to the
 * endpoint once. Keyed by the SHA-256 of the text: the text itself is not kept here.
 */
export const embeddingCache = pgTable(
  'embedding_cache',
  {
    model: text('model').notNull(),
    /** Hex SHA-256 of the embedded text. */
    textHash: text('text_hash').notNull(),
    dims: integer('dims').notNull(),
    vector: real('vector').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.model, table.textHash] })],
);
