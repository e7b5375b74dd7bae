import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleReplyAuditLog } from '../../../src/db/repositories/reply-audit-store.js';
import { replyAudits } from '../../../src/db/schema/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { ReplyAudit } from '../../../src/support/replies/ports.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';

describe('DrizzleReplyAuditLog', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  const llmAudit = (questionId: string): ReplyAudit => ({
    questionId,
    teamId: 'T1',
    method: 'llm',
    reply: {
      text: 'Click **Forgot password**. [1]',
      method: 'llm',
      parts: [{ kind: 'sentence', text: 'Click **Forgot password**.', cites: [1] }],
      citations: [{ n: 1, title: 'Reset', url: 'https://help.example/reset', source: 'kb' }],
    },
    passages: [
      { n: 1, title: 'Reset', source: 'kb', url: 'https://help.example/reset', text: 'it\'s "quoted"' },
    ],
    model: 'tiny',
    prompt: [{ role: 'user', content: 'How?\u00e9' }],
    modelText: 'Click **Forgot password**. [1]',
    llmOutcome: 'used',
    error: 'x'.repeat(3000),
    tookMs: 12.6,
  });

  it('stores a burst of audits, every column as given, each question once with its last audit', async () => {
    const log = new DrizzleReplyAuditLog(database.db, createLogger({ level: 'silent' }));
    const [first, second] = [randomUUID(), randomUUID()];
    const before = Date.now();
    await Promise.all([
      log.record({ questionId: first, method: 'none', passages: [], tookMs: 1 }),
      log.record(llmAudit(second)),
      log.record({ ...llmAudit(first), llmOutcome: 'deadline', method: 'extractive' }),
    ]);
    const rows = await database.db.select().from(replyAudits);
    expect(rows).toHaveLength(2);
    const stored = (id: string) => rows.find((row) => row.questionId === id);
    expect(stored(second)).toMatchObject({ ...llmAudit(second), error: 'x'.repeat(2000), tookMs: 13 });
    expect(stored(first)).toMatchObject({ method: 'extractive', llmOutcome: 'deadline' });
    expect(stored(second)?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('replaces an earlier audit of the same question written in an earlier batch', async () => {
    const log = new DrizzleReplyAuditLog(database.db, createLogger({ level: 'silent' }));
    const questionId = randomUUID();
    await log.record({ questionId, method: 'none', passages: [], tookMs: 1 });
    await log.record(llmAudit(questionId));
    const rows = await database.db.select().from(replyAudits).where(eq(replyAudits.questionId, questionId));
    expect(rows).toMatchObject([{ method: 'llm', llmOutcome: 'used' }]);
    await log.close();
  });
});
