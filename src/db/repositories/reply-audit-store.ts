import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { ReplyAudit, ReplyAuditLog } from '../../support/replies/ports.js';
import { BatchedRows } from '../batched-rows.js';
import type { Db } from '../client.js';
import { replyAudits } from '../schema/index.js';

interface AuditRow {
  questionId: string;
  teamId: string | null;
  at: string;
  method: string;
  reply: unknown;
  passages: unknown;
  model: string | null;
  prompt: unknown;
  modelText: string | null;
  llmOutcome: string | null;
  error: string | null;
  tookMs: number;
}

/**
 * Stores each reply's audit row, batched off the answer's path (every answer writes one: one
 * insert a question was a sixth of the bot's statements); a second write for the same question
 * replaces the first. `record` resolves once the row is stored.
 */
export class DrizzleReplyAuditLog implements ReplyAuditLog {
  private readonly rows: BatchedRows<AuditRow>;

  constructor(db: Db, logger: Logger) {
    this.rows = new BatchedRows({ what: 'reply_audits rows', logger, write: (batch) => upsert(db, batch) });
  }

  record(audit: ReplyAudit): Promise<void> {
    return this.rows.add({
      questionId: audit.questionId,
      teamId: audit.teamId ?? null,
      at: new Date().toISOString(),
      method: audit.method,
      reply: audit.reply ?? null,
      passages: audit.passages,
      model: audit.model ?? null,
      prompt: audit.prompt ?? null,
      modelText: audit.modelText ?? null,
      llmOutcome: audit.llmOutcome ?? null,
      error: audit.error?.slice(0, 2000) ?? null,
      tookMs: Math.round(audit.tookMs),
    });
  }

  close(): Promise<void> {
    return this.rows.close();
  }
}

/** One statement for the batch, sent as one JSON parameter (the same text every time: prepared once). */
async function upsert(db: Db, batch: AuditRow[]): Promise<void> {
  // Postgres refuses to update one row twice in a statement: the last audit of a question wins.
  const latest = [...new Map(batch.map((row) => [row.questionId, row])).values()];
  await db.execute(sql`
    insert into ${replyAudits} (question_id, team_id, created_at, method, reply, passages, model, prompt,
      model_text, llm_outcome, error, took_ms)
    select "questionId", "teamId", at, method, reply, passages, model, prompt, "modelText", "llmOutcome",
      error, "tookMs"
    from jsonb_to_recordset(${JSON.stringify(latest)}::jsonb) as row(
      "questionId" uuid, "teamId" text, at timestamptz, method text, reply jsonb, passages jsonb,
      model text, prompt jsonb, "modelText" text, "llmOutcome" text, error text, "tookMs" integer)
    on conflict (question_id) do update set
      team_id = excluded.team_id, method = excluded.method, reply = excluded.reply,
      passages = excluded.passages, model = excluded.model, prompt = excluded.prompt,
      model_text = excluded.model_text, llm_outcome = excluded.llm_outcome, error = excluded.error,
      took_ms = excluded.took_ms`);
}
