import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** One row per MCP tool call, whatever its outcome. */
export const toolCalls = pgTable(
  'tool_calls',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    service: text('service').notNull(),
    tool: text('tool').notNull(),
    /** ok | tool_error | error | timeout | rate_limited | circuit_open */
    outcome: text('outcome').notNull(),
    latencyMs: integer('latency_ms').notNull(),
    attempts: integer('attempts').notNull().default(1),
    error: text('error'),
    questionId: uuid('question_id'),
  },
  (table) => [index('tool_calls_created_service_idx').on(table.createdAt, table.service)],
);
