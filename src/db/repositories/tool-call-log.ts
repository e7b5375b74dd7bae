import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { BatchedRows } from '../batched-rows.js';
import type { Db } from '../client.js';
import { toolCalls } from '../schema/index.js';

export interface ToolCallRow {
  service: string;
  tool: string;
  outcome: string;
  latencyMs: number;
  attempts: number;
  error?: string;
  questionId?: string;
}

/**
 * Writes one `tool_calls` row per MCP call. Rows are batched off the call's path: a lookup never
 * waits for its audit row, and a burst of calls costs one insert.
 */
export class ToolCallLog {
  private readonly rows: BatchedRows<ToolCallRow & { at: string }>;

  constructor(db: Db, logger: Logger, maxPending = 10_000) {
    this.rows = new BatchedRows({
      what: 'tool_calls rows',
      logger,
      maxPending,
      // The batch goes as one JSON parameter: building a drizzle insert of hundreds of rows cost more
      // CPU than Postgres spends storing them (the throughput profile), and the statement text stays
      // the same, so postgres.js prepares it once.
      write: async (batch) => {
        await db.execute(sql`
          insert into ${toolCalls} (created_at, service, tool, outcome, latency_ms, attempts, error, question_id)
          select at, service, tool, outcome, "latencyMs", attempts, error, "questionId"
          from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as row(
            at timestamptz, service text, tool text, outcome text, "latencyMs" integer, attempts integer,
            error text, "questionId" uuid)`);
      },
    });
  }

  record(row: ToolCallRow): void {
    void this.rows.add({ ...row, error: row.error?.slice(0, 2000), at: new Date().toISOString() });
  }

  /** Writes every pending row. */
  flush(): Promise<void> {
    return this.rows.flush();
  }

  close(): Promise<void> {
    return this.rows.close();
  }
}
