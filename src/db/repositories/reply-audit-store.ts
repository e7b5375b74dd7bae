import { sql } from 'drizzle-orm';
import type { ReplyAudit, ReplyAuditLog } from '../../support/replies/ports.js';
import type { Db } from '../client.js';
import { replyAudits } from '../schema/index.js';

/** Stores each reply's audit row; a second write for the same question replaces the first. */
export class DrizzleReplyAuditLog implements ReplyAuditLog {
  private readonly upsert: ReturnType<typeof buildUpsert>;

  constructor(db: Db) {
    // Every answer writes one: built once, not once per question (building costs more than running it).
    this.upsert = buildUpsert(db);
  }

  async record(audit: ReplyAudit): Promise<void> {
    await this.upsert.execute({
      questionId: audit.questionId,
      teamId: audit.teamId ?? null,
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
}

const COLUMNS = [
  'teamId',
  'method',
  'reply',
  'passages',
  'model',
  'prompt',
  'modelText',
  'llmOutcome',
  'error',
  'tookMs',
] as const;

function buildUpsert(db: Db) {
  const values = Object.fromEntries(
    ['questionId', ...COLUMNS].map((column) => [column, sql.placeholder(column)]),
  ) as unknown as typeof replyAudits.$inferInsert; // placeholders stand for the typed values
  const set = Object.fromEntries(
    COLUMNS.map((column) => [column, sql.placeholder(column)]),
  ) as unknown as Partial<typeof replyAudits.$inferInsert>;
  return db
    .insert(replyAudits)
    .values(values)
    .onConflictDoUpdate({ target: replyAudits.questionId, set })
    .prepare('upsert_reply_audit');
}
