import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
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
  private pending: Array<ToolCallRow & { at: string }> = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly maxPending = 10_000,
  ) {}

  record(row: ToolCallRow): void {
    if (this.pending.length >= this.maxPending) {
      this.logger.warn('tool_calls buffer full; dropping the oldest audit row');
      this.pending.shift();
    }
    this.pending.push({ ...row, error: row.error?.slice(0, 2000), at: new Date().toISOString() });
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, 50);
  }

  /** Writes every pending row; on failure they stay pending for the next flush. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, 500);
    // The batch goes as one JSON parameter: building a drizzle insert of hundreds of rows cost more
    // CPU than Postgres spends storing them (the throughput profile), and the statement text stays
    // the same, so postgres.js prepares it once.
    this.flushing = this.db
      .execute(sql`
        insert into ${toolCalls} (created_at, service, tool, outcome, latency_ms, attempts, error, question_id)
        select at, service, tool, outcome, "latencyMs", attempts, error, "questionId"
        from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as row(
          at timestamptz, service text, tool text, outcome text, "latencyMs" integer, attempts integer,
          error text, "questionId" uuid)`)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.pending.unshift(...batch);
        this.logger.warn({ err: (error as Error).message }, 'could not write tool_calls rows; will retry');
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          void this.flush();
        }, 1000);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
    if (this.pending.length > 0 && !this.timer) await this.flush();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
