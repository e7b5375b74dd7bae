import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { questions, tickets } from '../../src/db/schema/index.js';
import { mcpAskerId } from '../../src/http/mcp-endpoint.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { FAKE_HELPSCOUT, FakeHelpScout } from '../harness/fake-helpscout.js';
import { call, DESKHAND_BIN } from '../harness/mcp-client.js';

const TOKEN = 'test-mcp-token-0123456789abcdef';

/** The SDK's own client over streamable HTTP, as Claude Desktop or Cursor would connect. */
async function agent(t: TestDeskhand, token = TOKEN): Promise<Client> {
  const client = new Client({ name: 'deskhand-test-agent', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${t.deskhand.url}/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

async function count(t: TestDeskhand, table: typeof questions | typeof tickets): Promise<number> {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(table);
  return row?.n ?? 0;
}

function rpc(method: string, params: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}

const node = JSON.stringify(process.execPath);
const bin = JSON.stringify(DESKHAND_BIN);
/** The services file: the knowledge base, and HelpScout when given; generous timeouts (they bound connecting too) for a busy machine. */
function servicesYaml(helpscoutUrl?: string): string {
  const kb = `services:
  kb:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, kb]
    env: { KNOWLEDGE_DIR: ${JSON.stringify(resolve('knowledge'))} }
    label: Knowledge base
    timeout_ms: 30000
`;
  if (!helpscoutUrl) return kb;
  return `${kb}  helpscout:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, helpscout]
    env: { HELPSCOUT_APP_ID: ${FAKE_HELPSCOUT.appId}, HELPSCOUT_APP_SECRET: \${TEST_HELPSCOUT_SECRET}, HELPSCOUT_MAILBOX_ID: "${FAKE_HELPSCOUT.mailboxId}", HELPSCOUT_API_URL: ${helpscoutUrl} }
    timeout_ms: 30000
`;
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('deskhand as an MCP server, with DESKHAND_MCP_TOKEN set', () => {
  let t: TestDeskhand;
  let client: Client;

  beforeAll(async () => {
    t = await startTestDeskhand({ env: { DESKHAND_MCP_TOKEN: TOKEN }, servicesYaml: servicesYaml() });
    client = await agent(t);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await t?.stop();
  });

  it('lists ask, create_ticket and support_digest with their argument schemas', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual(['ask', 'create_ticket', 'support_digest']);
    expect(Object.keys(byName.ask?.inputSchema.properties ?? {})).toEqual(['question']);
    expect(byName.ask?.inputSchema.required).toEqual(['question']);
    expect(Object.keys(byName.create_ticket?.inputSchema.properties ?? {}).sort()).toEqual([
      'email',
      'priority',
      'question',
      'subject',
    ]);
    expect([...(byName.create_ticket?.inputSchema.required ?? [])].sort()).toEqual(['email', 'question']);
    expect(Object.keys(byName.support_digest?.inputSchema.properties ?? {})).toEqual(['since']);
    expect(byName.support_digest?.inputSchema.required ?? []).toEqual([]);
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.description?.length).toBeGreaterThan(40);
      expect(tool.outputSchema).toBeDefined();
    }
  });

  it('ask answers as Slack does, and stores the question with entry point mcp', async () => {
    // callTool checks structuredContent against the declared output schema.
    const result = await client.callTool({
      name: 'ask',
      arguments: { question: 'How do I reset my password?' },
    });
    expect(result.isError).toBeFalsy();
    const answer = result.structuredContent as {
      question_id: string;
      found: boolean;
      sources: Array<{ n: number; title: string; url?: string; snippet: string; source: string }>;
      lookups: Array<{ source: string; status: string }>;
    };
    const text = (result.content as Array<{ type: string; text: string }>)[0]?.text as string;
    expect(JSON.parse(text)).toEqual(answer);
    expect(answer.found).toBe(true);
    expect(answer.sources[0]).toMatchObject({ n: 1, source: 'Knowledge base' });
    expect(answer.sources[0]?.title).toMatch(/password/i);
    expect(answer.sources[0]?.snippet.length).toBeGreaterThan(0);
    expect(answer.lookups).toEqual([expect.objectContaining({ source: 'kb', status: 'ok' })]);

    const [row] = await t.database.db.select().from(questions).where(eq(questions.id, answer.question_id));
    expect(row).toMatchObject({
      entryPoint: 'mcp',
      askerId: mcpAskerId(TOKEN),
      channelKind: 'unknown',
      text: 'How do I reset my password?',
      status: 'answered',
      found: true,
    });
    expect(row?.askerId).not.toContain(TOKEN.slice(0, 8));
  });

  it('ask refuses an empty question with a message to act on, and stores nothing', async () => {
    const before = await count(t, questions);
    const result = await call(client, 'ask', { question: '   ' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/question is empty/);
    expect(await count(t, questions)).toBe(before);
  });

  it('create_ticket says there is no ticket desk when none is configured, and stores nothing', async () => {
    const before = { questions: await count(t, questions), tickets: await count(t, tickets) };
    const result = await call(client, 'create_ticket', {
      question: 'My invoice is wrong',
      email: 'ana@example.com',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/No ticket desk is configured/);
    expect({ questions: await count(t, questions), tickets: await count(t, tickets) }).toEqual(before);
  });

  it('support_digest gives the figures, with the mcp way in and nothing asked privately', async () => {
    const privately = 'zqxv frobnicate the private quarterly ledger';
    const publicly = 'zqxv frobnicate the public roadmap';
    await t.deskhand.support.ask({ text: privately, entryPoint: 'dm', askerId: 'U1', channelKind: 'im' });
    await t.deskhand.support.ask({
      text: publicly,
      entryPoint: 'slash',
      askerId: 'U1',
      channelKind: 'public',
    });
    await call(client, 'ask', { question: 'zqxv frobnicate asked by an agent' });

    const result = await client.callTool({ name: 'support_digest', arguments: {} });
    expect(result.isError).toBeFalsy();
    const digest = result.structuredContent as {
      period: { label: string };
      current: { questions: number; byEntryPoint: Record<string, number> };
      gaps: Array<{ example?: string; askedPrivately: boolean }>;
    };
    expect(digest.period.label).toBe('7d');
    expect(digest.current.byEntryPoint.mcp).toBeGreaterThanOrEqual(2);
    expect(digest.current.questions).toBeGreaterThanOrEqual(4);
    const everything = JSON.stringify(result);
    expect(everything).toContain(publicly);
    expect(everything).not.toContain(privately);
    expect(everything).not.toContain('asked by an agent');
  });

  it('support_digest refuses an unknown period with the periods it takes', async () => {
    const result = await call(client, 'support_digest', { since: 'last week' });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/"last week" is not a period: use .*24h, 7d, 30d or 2w/);
  });

  it('refuses a missing or wrong bearer with 401 and WWW-Authenticate, storing nothing', async () => {
    const before = await count(t, questions);
    const ask = rpc('tools/call', { name: 'ask', arguments: { question: 'How do I reset my password?' } });
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0123456789abcdef',
      `Basic ${TOKEN}`,
      'Bearer ',
    ]) {
      const response = await fetch(`${t.deskhand.url}/mcp`, {
        method: 'POST',
        headers: { ...MCP_HEADERS, ...(authorization ? { authorization } : {}) },
        body: ask,
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await response.text()).not.toContain(TOKEN);
    }
    await expect(agent(t, 'wrong-token-0123456789abcdef')).rejects.toThrow(/401|nauthorized/);
    expect(await count(t, questions)).toBe(before);
  });

  it('answers GET and DELETE with 405 and Allow: POST, and a body over the limit with 413', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${t.deskhand.url}/mcp`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' },
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    const huge = rpc('tools/call', { name: 'ask', arguments: { question: 'x'.repeat(2 * 1024 * 1024) } });
    const response = await fetch(`${t.deskhand.url}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: huge,
    });
    expect(response.status).toBe(413);
  });
});

describe('deskhand without DESKHAND_MCP_TOKEN', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand();
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('has no MCP endpoint: POST /mcp is 404, whatever the token', async () => {
    const response = await fetch(`${t.deskhand.url}/mcp`, {
      method: 'POST',
      headers: { ...MCP_HEADERS, authorization: `Bearer ${TOKEN}` },
      body: rpc('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'x', version: '1' },
      }),
    });
    expect(response.status).toBe(404);
    expect(await count(t, questions)).toBe(0);
  });
});

describe('create_ticket through the MCP endpoint, filed with HelpScout', () => {
  const helpscout = new FakeHelpScout();
  let t: TestDeskhand;
  let client: Client;

  beforeAll(async () => {
    await helpscout.start();
    t = await startTestDeskhand({
      env: { DESKHAND_MCP_TOKEN: TOKEN, TEST_HELPSCOUT_SECRET: FAKE_HELPSCOUT.appSecret },
      servicesYaml: servicesYaml(helpscout.url),
    });
    client = await agent(t);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await t?.stop();
    await helpscout.close();
  });

  it('files one HelpScout conversation, however often the call is retried', async () => {
    const conversationsBefore = helpscout.conversations.length;
    const args = {
      question: 'The export button  crashes the app',
      email: 'ana@example.com',
      subject: 'Export crashes',
      priority: 'high',
    };
    const first = await client.callTool({ name: 'create_ticket', arguments: args });
    expect(first.isError).toBeFalsy();
    const ticket = first.structuredContent as Record<string, unknown>;
    expect(ticket).toMatchObject({
      state: 'created',
      desk: 'HelpScout',
      subject: 'Export crashes',
      priority: 'high',
      already_filed: false,
    });
    expect(ticket.number).toMatch(/^\d+$/);
    const conversation = helpscout.conversations.find(
      (candidate) => String(candidate.number) === ticket.number,
    );
    expect(conversation).toMatchObject({ subject: 'Export crashes', email: 'ana@example.com' });

    // The agent retries (a timeout on its side), with the question typed a little differently.
    const retried = await client.callTool({
      name: 'create_ticket',
      arguments: { ...args, question: 'the export button crashes the app ' },
    });
    expect(retried.structuredContent).toMatchObject({
      ticket_id: ticket.ticket_id,
      number: ticket.number,
      already_filed: true,
    });
    // Two at once, from a new connection, still one ticket.
    const again = await agent(t);
    const both = await Promise.all([
      again.callTool({ name: 'create_ticket', arguments: args }),
      client.callTool({ name: 'create_ticket', arguments: args }),
    ]);
    await again.close();
    for (const result of both)
      expect(result.structuredContent).toMatchObject({ ticket_id: ticket.ticket_id });

    expect(helpscout.conversations.length).toBe(conversationsBefore + 1);
    const rows = await t.database.db.select().from(tickets);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'created', customerEmail: 'ana@example.com', reason: 'asked' });
    const [question] = await t.database.db
      .select()
      .from(questions)
      .where(eq(questions.id, rows[0]?.questionId as string));
    expect(question).toMatchObject({ entryPoint: 'mcp', text: args.question });
  });

  it('refuses an email that is not one, before anything is stored', async () => {
    const before = await count(t, tickets);
    const result = await call(client, 'create_ticket', {
      question: 'Help with billing',
      email: 'ana at example',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/"ana at example" is not an email address/);
    expect(await count(t, tickets)).toBe(before);
  });
});
