import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { BufferedSupportStore } from '../../src/db/repositories/buffered-support-store.js';
import { DrizzleSupportStore } from '../../src/db/repositories/support-store.js';
import { lookups, questions } from '../../src/db/schema/index.js';
import { isConnectionError, WriteBuffer } from '../../src/db/write-buffer.js';
import { createLogger } from '../../src/observability/logger.js';
import { SupportService } from '../../src/support/support-service.js';
import { useDatabaseBehindProxy } from '../harness/proxied-database.js';

const logger = createLogger({ level: 'silent' });

describe('writes while Postgres is away', () => {
  const backend = useDatabaseBehindProxy();

  it('answers a question asked while the database is down, and stores it once when it is back', async (context) => {
    const { proxy, urlViaProxy, database } = backend;
    if (!proxy || !urlViaProxy) {
      context.skip(); // needs a Postgres server to cut off (TEST_DATABASE_URL); PGlite runs in-process
      return;
    }
    const flaky = await openDatabase({ url: urlViaProxy, maxConnections: 2 });
    const buffer = new WriteBuffer({ logger, initialRetryMs: 50, maxRetryMs: 200 });
    const support = new SupportService({
      sources: [
        {
          name: 'kb',
          label: 'Knowledge base',
          isAvailable: () => true,
          search: async () => [
            {
              source: 'kb',
              title: 'Reset your password',
              snippet: 'Use Forgot password',
              url: 'https://h/p',
              score: 3,
            },
          ],
        },
      ],
      store: new BufferedSupportStore(new DrizzleSupportStore(flaky.db), buffer),
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 500,
    });

    await proxy.cut();
    const answer = await support.ask({
      text: 'How do I reset my password?',
      entryPoint: 'slash',
      askerId: 'U1',
    });
    expect(answer.found).toBe(true);
    expect(buffer.pending).toBeGreaterThan(0);
    const whileDown = await database.db.select().from(questions).where(eq(questions.id, answer.question.id));
    expect(whileDown).toHaveLength(0);

    await proxy.restore();
    expect(await buffer.flush(10_000)).toBe(true);
    const [stored] = await database.db.select().from(questions).where(eq(questions.id, answer.question.id));
    expect(stored).toMatchObject({ status: 'answered', found: true });
    const storedLookups = await database.db
      .select()
      .from(lookups)
      .where(eq(lookups.questionId, answer.question.id));
    expect(storedLookups).toHaveLength(1);
    const total = await database.rows<{ n: number }>(sql`select count(*)::int as n from questions`);
    expect(total[0]?.n).toBe(1);

    await buffer.close();
    await flaky.close();
  });
});

describe('telling a connection error from a bad write', () => {
  it('retries connection losses, never constraint violations', () => {
    expect(
      isConnectionError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(
      isConnectionError(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' })),
    ).toBe(true);
    expect(
      isConnectionError(
        Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      ),
    ).toBe(true);
    expect(
      isConnectionError(new Error('wrapped', { cause: Object.assign(new Error('x'), { code: '08006' }) })),
    ).toBe(true);
    expect(isConnectionError(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isConnectionError(new Error('column "nope" does not exist'))).toBe(false);
  });

  it('keeps writes in order and drops the oldest only past its bound', async () => {
    const buffer = new WriteBuffer({ logger, maxPending: 2, initialRetryMs: 10, maxRetryMs: 20 });
    let up = false;
    const written: string[] = [];
    buffer.register('name', async (data) => {
      if (!up) throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' });
      written.push(data as string);
    });
    await buffer.write('name', 'a');
    await buffer.write('name', 'b');
    await buffer.write('name', 'c');
    expect(buffer.dropped).toBe(1);
    up = true;
    expect(await buffer.flush(2000)).toBe(true);
    expect(written).toEqual(['b', 'c']);
    await buffer.close();
  });

  it('stores what it kept once the database is back, with no later write or flush to prompt it', async () => {
    const buffer = new WriteBuffer({ logger, initialRetryMs: 10, maxRetryMs: 40 });
    let up = false;
    let attempts = 0;
    const written: string[] = [];
    buffer.register('name', async (data) => {
      attempts++;
      if (!up) throw Object.assign(new Error('down'), { code: 'ECONNREFUSED' });
      written.push(data as string);
    });
    await buffer.write('name', 'a');
    await buffer.write('name', 'b');
    // Retried on its own while the database stays away, not only when another write comes in.
    const tried = attempts;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toBeGreaterThan(tried + 1);
    up = true;
    const deadline = Date.now() + 2000;
    while (buffer.pending > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(written).toEqual(['a', 'b']);
    expect(buffer.pending).toBe(0);
    await buffer.close();
  });
});
