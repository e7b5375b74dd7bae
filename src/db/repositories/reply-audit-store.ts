import type { ReplyAudit, ReplyAuditLog } from '../../support/replies/ports.js';
import type { Db } from '../client.js';
import { replyAudits } from '../schema/index.js';

/** Stores each reply's audit row; a second write for the same question replaces the first. */
export class DrizzleReplyAuditLog implements ReplyAuditLog {
  constructor(private readonly db: Db) {}

  async record(audit: ReplyAudit): Promise<void> {
    const row = {
      questionId: audit.questionId,
      teamId: audit.teamId,
      method: audit.method,
      reply: audit.reply ?? null,
      passages: audit.passages,
      model: audit.model ?? null,
      prompt: audit.prompt ?? null,
      modelText: audit.modelText ?? null,
      llmOutcome: audit.llmOutcome ?? null,
      error: audit.error?.slice(0, 2000) ?? null,
      tookMs: Math.round(audit.tookMs),
    };
    const { questionId: _id, ...update } = row;
    await this.db
      .insert(replyAudits)
      .values(row)
      .onConflictDoUpdate({ target: replyAudits.questionId, set: update });
  }
}
