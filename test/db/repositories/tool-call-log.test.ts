import { randomUUID } from 'node:crypto';
import { asc } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCallLog } from '../../../src/db/repositories/tool-call-log.js';
import { toolCalls } from '../../../src/db/schema/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';

describe('ToolCallLog', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('stores a burst of calls as rows, every column as recorded', async () => {
    const log = new ToolCallLog(database.db, createLogger({ level: 'silent' }));
    const questionId = randomUUID();
    const before = Date.now();
    log.record({
      service: 'kb',
      tool: 'search_pages',
      outcome: 'ok',
      latencyMs: 12,
      attempts: 1,
      questionId,
    });
    log.record({
      service: 'helpscout',
      tool: 'create_conversation',
      outcome: 'error',
      latencyMs: 3001,
      attempts: 3,
      error: `it's "broken"; ${'x'.repeat(3000)}`,
    });
    await log.close();
    const rows = await database.db.select().from(toolCalls).orderBy(asc(toolCalls.id));
    expect(rows).toMatchObject([
      {
        service: 'kb',
        tool: 'search_pages',
        outcome: 'ok',
        latencyMs: 12,
        attempts: 1,
        questionId,
        error: null,
      },
      { service: 'helpscout', outcome: 'error', latencyMs: 3001, attempts: 3, questionId: null },
    ]);
    expect(rows[1]?.error).toBe(`it's "broken"; ${'x'.repeat(2000 - 15)}`);
    expect(rows[0]?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(rows[0]?.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
  });
});
