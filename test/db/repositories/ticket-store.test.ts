import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/client.js';
import { DrizzleTicketStore } from '../../../src/db/repositories/ticket-store.js';
import { tickets } from '../../../src/db/schema/index.js';
import { WriteBuffer } from '../../../src/db/write-buffer.js';
import { createLogger } from '../../../src/observability/logger.js';
import { type NewTicket, TicketKeptForLaterError } from '../../../src/support/tickets/index.js';
import { useDatabaseBehindProxy } from '../../harness/proxied-database.js';

const logger = createLogger({ level: 'silent' });

function newTicket(key: string): NewTicket {
  return {
    idempotencyKey: key,
    subject: 'Cannot pay with bitcoin',
    message: 'How do I pay with bitcoin?',
    priority: 'normal',
    type: 'email',
    reason: 'no_answer',
    requesterId: 'U1',
    status: 'pending',
    desk: 'helpscout',
    attempts: 1,
    nextAttemptAt: new Date(Date.now() + 60_000),
    card: {},
  };
}

describe('a ticket asked for while Postgres is away', () => {
  const backend = useDatabaseBehindProxy();

  it('is kept, then stored once it is back, due at once for the outbox and stored once', async (context) => {
    const { proxy, urlViaProxy } = backend;
    if (!proxy || !urlViaProxy) {
      context.skip(); // needs a Postgres server to cut off (TEST_DATABASE_URL)
      return;
    }
    const flaky = await openDatabase({ url: urlViaProxy, maxConnections: 2 });
    const buffer = new WriteBuffer({ logger, initialRetryMs: 20, maxRetryMs: 100 });
    const store = new DrizzleTicketStore(flaky.db, buffer);
    try {
      await proxy.cut();
      await expect(store.insert(newTicket('question:kept'))).rejects.toBeInstanceOf(TicketKeptForLaterError);
      // Asked again while still away (a second click): kept again, stored once all the same.
      await expect(store.insert(newTicket('question:kept'))).rejects.toBeInstanceOf(TicketKeptForLaterError);
      expect(buffer.pending).toBe(2);

      await proxy.restore();
      const deadline = Date.now() + 10_000;
      while (buffer.pending > 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
      const rows = await backend.database.db
        .select()
        .from(tickets)
        .where(eq(tickets.idempotencyKey, 'question:kept'));
      expect(rows).toHaveLength(1);
      // No attempt was made: the outbox files it as soon as it looks.
      expect(rows[0]).toMatchObject({ status: 'pending', attempts: 0, desk: 'helpscout' });
      expect(rows[0]?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    } finally {
      await proxy.restore();
      await buffer.close();
      await flaky.close();
    }
  });

  it('without a write buffer, a ticket is inserted as before', async () => {
    const store = new DrizzleTicketStore(backend.database.db);
    const { ticket, inserted } = await store.insert(newTicket('question:plain'));
    expect(inserted).toBe(true);
    expect(ticket.status).toBe('pending');
  });
});
