import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DrizzleSupportStore } from '../../../src/db/repositories/support-store.js';
import { DrizzleTicketStore } from '../../../src/db/repositories/ticket-store.js';
import { buildDigest, type Period } from '../../../src/digest/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { TICKET_RETRY_WINDOW_MS } from '../../../src/servers/deskhand/create-ticket.js';
import { createDeskhandServer } from '../../../src/servers/deskhand/server.js';
import type { KnowledgeSource } from '../../../src/support/ports.js';
import { SupportService } from '../../../src/support/support-service.js';
import { TicketService } from '../../../src/support/tickets/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { TicketDeskDouble } from '../../support/tickets/ticket-desk-double.js';

const logger = createLogger({ level: 'silent' });
const WINDOW = TICKET_RETRY_WINDOW_MS;

/** A knowledge source that knows nothing: every question ends up wanting a ticket. */
const emptySource: KnowledgeSource = {
  name: 'kb',
  label: 'Knowledge base',
  isAvailable: () => true,
  search: async () => [],
};

describe('create_ticket: one ticket per question and email within the retry window', () => {
  let database: TestDatabase;
  let desk: TicketDeskDouble;
  let client: Client;
  let now: Date;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    desk = new TicketDeskDouble();
    const deps = {
      support: new SupportService({
        sources: [emptySource],
        store: new DrizzleSupportStore(database.db),
        logger,
        lookupDeadlineMs: 1000,
        questionMaxChars: 2000,
      }),
      tickets: new TicketService({ store: new DrizzleTicketStore(database.db), desk, logger }),
      digest: (period: Period) => buildDigest(database, { since: period, includePrivateText: false }),
      askerId: `mcp:test${Math.random()}`,
      logger,
      now: () => now,
    };
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createDeskhandServer(deps).connect(serverSide);
    client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(clientSide);
  });

  const fileTicket = async (question: string, email = 'ana@example.com') => {
    const result = await client.callTool({ name: 'create_ticket', arguments: { question, email } });
    expect(result.isError).toBeFalsy();
    return result.structuredContent as { ticket_id: number; state: string; already_filed: boolean };
  };

  it('finds the ticket a retry just after a window boundary refers to', async () => {
    // Tickets are stamped by the database's clock: the windows are placed around it.
    const boundary = Math.floor(Date.now() / WINDOW) * WINDOW;
    now = new Date(boundary - 1000);
    const first = await fileTicket('Refund for order 1234');
    now = new Date(boundary + 1000);
    const retried = await fileTicket('Refund for order 1234');
    expect(retried).toMatchObject({ ticket_id: first.ticket_id, already_filed: true });
    expect(desk.calls).toHaveLength(1);
  });

  it('files a new ticket for the same question once the window has passed, or for another email', async () => {
    const later = (Math.floor(Date.now() / WINDOW) + 1) * WINDOW;
    now = new Date(later + 1000);
    const first = await fileTicket('Refund for order 5678');
    expect((await fileTicket('Refund for order 5678', 'bo@example.com')).ticket_id).not.toBe(first.ticket_id);
    // The next window, late: more than a window after the first ticket was stored.
    now = new Date(later + 2 * WINDOW - 1000);
    const again = await fileTicket('Refund for order 5678');
    expect(again).toMatchObject({ already_filed: false });
    expect(again.ticket_id).not.toBe(first.ticket_id);
    expect(desk.calls).toHaveLength(3);
  });

  it('says a ticket the desk could not take yet is pending, and a retry shows the same ticket', async () => {
    now = new Date();
    desk.mode = 'down';
    const first = await fileTicket('The app is down for everyone');
    expect(first).toMatchObject({ state: 'pending', already_filed: false });
    const retried = await client.callTool({
      name: 'create_ticket',
      arguments: { question: 'The app is down for everyone', email: 'ana@example.com' },
    });
    expect(retried.structuredContent).toMatchObject({ ticket_id: first.ticket_id, state: 'pending' });
    expect(JSON.stringify(retried.content)).toMatch(/keeps trying in the background/);
    expect(desk.calls).toHaveLength(1);
  });
});
