import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleSupportStore } from '../../../src/db/repositories/support-store.js';
import { DrizzleTicketStore } from '../../../src/db/repositories/ticket-store.js';
import { buildDigest, type Period } from '../../../src/digest/index.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createDeskhandServer } from '../../../src/servers/deskhand/server.js';
import type { KnowledgeSource } from '../../../src/support/ports.js';
import { SupportService } from '../../../src/support/support-service.js';
import { TicketService } from '../../../src/support/tickets/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { call } from '../../harness/mcp-client.js';

const logger = createLogger({ level: 'silent' });

const passwordSource: KnowledgeSource = {
  name: 'kb',
  label: 'Knowledge base',
  isAvailable: () => true,
  search: async () => [
    {
      source: 'kb',
      title: 'Reset your password',
      snippet: 'Settings → Security → Reset password.',
      score: 5,
    },
  ],
};

async function agentOn(database: TestDatabase, questionsPerMinute: number): Promise<Client> {
  const deps = {
    support: new SupportService({
      sources: [passwordSource],
      store: new DrizzleSupportStore(database.db),
      logger,
      lookupDeadlineMs: 1000,
      questionMaxChars: 2000,
      questionsPerMinute,
    }),
    tickets: new TicketService({ store: new DrizzleTicketStore(database.db), logger }),
    digest: (period: Period) => buildDigest(database, { since: period, includePrivateText: false }),
    askerId: 'mcp:ratelimited',
    logger,
  };
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createDeskhandServer(deps).connect(serverSide);
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

describe('ask when deskhand cannot take the question', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('says when to ask again once the token has asked too much this minute', async () => {
    const client = await agentOn(database, 2);
    for (let i = 0; i < 2; i++) {
      expect((await call(client, 'ask', { question: 'How do I reset my password?' })).isError).toBeFalsy();
    }
    const refused = await call(client, 'ask', { question: 'How do I reset my password?' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/Too many questions through this MCP token .* ask again in \d+ s/);
    expect(refused.structuredContent).toMatchObject({ error: { retryable: true } });
  });

  it('says to try again when its database is down, rather than failing the call', async () => {
    const broken = await createTestDatabase();
    const client = await agentOn(broken, 0);
    await broken.drop();
    const result = await call(client, 'ask', { question: 'How do I reset my password?' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/could not answer just now .* try again in a minute/);
    const digest = await call(client, 'support_digest', {});
    expect(digest.isError).toBe(true);
    expect(digest.text).toMatch(/digest could not be read just now/);
  });
});
