import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { runHelpscoutServer } from '../../../src/servers/helpscout/main.js';
import type { RunningMcpServer } from '../../../src/servers/shared/serve.js';
import { FAKE_HELPSCOUT, FakeHelpScout } from '../../harness/fake-helpscout.js';
import { call, httpClient, stdioClient } from '../../harness/mcp-client.js';

const env = (url: string) => ({
  HELPSCOUT_APP_ID: FAKE_HELPSCOUT.appId,
  HELPSCOUT_APP_SECRET: FAKE_HELPSCOUT.appSecret,
  HELPSCOUT_MAILBOX_ID: FAKE_HELPSCOUT.mailboxId,
  HELPSCOUT_API_URL: url,
});

describe('the HelpScout MCP server', () => {
  const helpscout = new FakeHelpScout();
  let stdio: Client;
  let http: Client;
  let running: RunningMcpServer;

  beforeAll(async () => {
    await helpscout.start();
    stdio = await stdioClient('helpscout', env(helpscout.url));
    running = await runHelpscoutServer({
      transport: 'http',
      port: 0,
      ...FAKE_HELPSCOUT,
      apiUrl: helpscout.url,
      logger: createLogger({ level: 'silent' }),
    });
    http = await httpClient(running.url as string);
  }, 30_000);
  afterAll(async () => {
    await stdio?.close();
    await http?.close();
    await running?.close();
    await helpscout.close();
  });

  it('offers search_conversations, create_conversation, get_conversation and add_to_conversation', async () => {
    const { tools } = await stdio.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'add_to_conversation',
      'create_conversation',
      'get_conversation',
      'search_conversations',
    ]);
  });

  it("gives the best matches the agent's reply that answered them, as text, not the customer's question", async () => {
    const answer = await call(http, 'search_conversations', { query: 'invoice' });
    const [first] = (answer.structuredContent as { results: Array<{ subject: string; reply?: string }> })
      .results;
    expect(first).toMatchObject({
      subject: 'Invoice for March',
      reply:
        'Hello!\nYou can download every invoice as a PDF under Settings → Billing → Invoices. Add your VAT number there first and it will appear on new invoices.',
    });
    const unanswered = await call(http, 'search_conversations', { query: 'payment renewal' });
    const [payment] = (
      unanswered.structuredContent as { results: Array<{ subject: string; reply?: string }> }
    ).results;
    expect(payment?.subject).toBe('Payment failed on renewal');
    expect(payment?.reply).toBeUndefined();
  });

  it("still answers when a conversation's threads cannot be read, only without its reply", async () => {
    helpscout.threadsFail = true;
    const answer = await call(http, 'search_conversations', { query: 'invoice' }).finally(() => {
      helpscout.threadsFail = false;
    });
    expect(answer.isError).toBeFalsy();
    const [first] = (answer.structuredContent as { results: Array<{ subject: string; reply?: string }> })
      .results;
    expect(first?.subject).toBe('Invoice for March');
    expect(first?.reply).toBeUndefined();
  });

  it('searches past conversations across pages, with one token for several calls', async () => {
    const before = helpscout.tokensIssued;
    const answer = await call(http, 'search_conversations', {
      query: 'password reset okta invoice dashboard',
      limit: 4,
    });
    const results = (
      answer.structuredContent as { results: Array<{ subject: string; url: string; number: number }> }
    ).results;
    expect(results).toHaveLength(4);
    expect(results[0]).toMatchObject({
      subject: 'Cannot reset password',
      url: 'https://secure.helpscout.net/conversation/1000/500',
    });
    await call(http, 'search_conversations', { query: 'invoice' });
    expect(helpscout.tokensIssued - before).toBeLessThanOrEqual(1);
    expect(helpscout.requests.some((request) => request.path.includes('page=2'))).toBe(true);
  });

  it('fetches a new token once when HelpScout rejects the cached one', async () => {
    await call(stdio, 'search_conversations', { query: 'invoice' });
    const before = helpscout.tokensIssued;
    helpscout.revokeTokens();
    const answer = await call(stdio, 'search_conversations', { query: 'invoice' });
    expect(answer.isError).toBeFalsy();
    expect(helpscout.tokensIssued).toBe(before + 1);
  });

  it('creates a conversation whose id comes from Resource-ID, then finds it', async () => {
    const answer = await call(stdio, 'create_conversation', {
      customer_id: 'alex@example.com',
      subject: 'Zebra import fails',
      message: 'The zebra importer stops at row 12.',
      priority: 'high',
      type: 'email',
    });
    expect(answer.isError).toBeFalsy();
    const created = answer.structuredContent as { id: string; number: string; url: string };
    expect(created.url).toBe(`https://secure.helpscout.net/conversation/${created.id}/${created.number}`);
    const stored = helpscout.conversations.find((conversation) => String(conversation.id) === created.id);
    expect(stored?.tags).toEqual(['deskhand', 'priority-high']);
    const found = await call(stdio, 'search_conversations', { query: 'zebra' });
    expect(
      (found.structuredContent as { results: Array<{ id: number }> }).results.map((result) =>
        String(result.id),
      ),
    ).toContain(created.id);
    const one = await call(stdio, 'get_conversation', { id: created.id });
    expect(one.structuredContent).toMatchObject({ subject: 'Zebra import fails', status: 'active' });
  });

  it('files one conversation for one idempotency key, however often it is retried', async () => {
    const args = {
      customer_id: 'alex@example.com',
      subject: 'Retry me',
      message: 'Once only',
      priority: 'normal',
      type: 'chat',
      idempotency_key: 'question:abc-123',
    };
    const first = await call(stdio, 'create_conversation', args);
    const second = await call(http, 'create_conversation', args);
    expect(second.structuredContent).toEqual(first.structuredContent);
    expect(
      helpscout.conversations.filter((conversation) => conversation.subject === 'Retry me'),
    ).toHaveLength(1);
  });

  it('files a new conversation when the tag search ignores its filter, never an unrelated one', async () => {
    helpscout.ignoreTagFilter = true;
    try {
      const args = {
        customer_id: 'sam@example.com',
        subject: 'Filter ignored',
        message: 'Must not attach to someone else',
        priority: 'normal',
        type: 'email',
        idempotency_key: 'question:filter-ignored',
      };
      const first = await call(stdio, 'create_conversation', args);
      const created = first.structuredContent as { id: string };
      const stored = helpscout.conversations.find((conversation) => String(conversation.id) === created.id);
      expect(stored).toMatchObject({ subject: 'Filter ignored', email: 'sam@example.com' });
      // The retry still finds the conversation its first attempt filed, by its tag.
      const second = await call(http, 'create_conversation', args);
      expect(second.structuredContent).toEqual(first.structuredContent);
      expect(
        helpscout.conversations.filter((conversation) => conversation.subject === 'Filter ignored'),
      ).toHaveLength(1);
    } finally {
      helpscout.ignoreTagFilter = false;
    }
  });

  it('explains a refused conversation field by field, not retryable', async () => {
    const answer = await call(stdio, 'create_conversation', {
      customer_id: 'not-an-email',
      subject: 'x',
      message: 'y',
      priority: 'low',
      type: 'email',
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe(
      'HelpScout refused the request: customer.email: must be a valid email address (logRef fake-validation)',
    );
    expect(answer.structuredContent).toMatchObject({ error: { retryable: false } });
  });

  it('marks a 503 and a long rate limit as retryable, and waits out a short one', async () => {
    helpscout.failNext(1, { status: 503, body: { message: 'Service unavailable', logRef: 'x' } });
    expect(await call(stdio, 'search_conversations', { query: 'invoice' })).toMatchObject({
      isError: true,
      structuredContent: { error: { retryable: true } },
    });
    helpscout.failNext(1, { status: 429, headers: { 'X-RateLimit-Retry-After': '120' } });
    expect(await call(stdio, 'search_conversations', { query: 'invoice' })).toMatchObject({
      structuredContent: { error: { retryable: true, retry_after_s: 120 } },
    });
    helpscout.failNext(1, { status: 429, headers: { 'X-RateLimit-Retry-After': '0' } });
    expect((await call(stdio, 'search_conversations', { query: 'invoice' })).isError).toBeFalsy();
  });

  it("adds a customer reply over POST …/customer as the conversation's own customer, reopening it", async () => {
    const conversation = helpscout.conversation(1000);
    helpscout.setStatus(1000, 'closed');
    const answer = await call(stdio, 'add_to_conversation', {
      id: '1000',
      text: 'Still broken',
      as: 'customer',
    });
    expect(answer.isError).toBeFalsy();
    const added = answer.structuredContent as { id: string; thread_id: string; as: string };
    const thread = conversation?.threads.at(-1);
    expect(added).toEqual({ id: '1000', thread_id: String(thread?.id), as: 'customer' });
    expect(thread).toMatchObject({
      type: 'customer',
      text: 'Still broken',
      customerId: conversation?.customerId,
    });
    expect(conversation?.status).toBe('active');
    const post = helpscout.requests.filter((request) => request.path === '/v2/conversations/1000/customer');
    expect(post).toHaveLength(1);
    expect(JSON.parse(post[0]?.body ?? '{}')).toEqual({
      customer: { id: conversation?.customerId },
      text: 'Still broken',
    });
  });

  it('adds an internal note over POST …/notes without reopening the conversation', async () => {
    helpscout.setStatus(1001, 'closed');
    const answer = await call(http, 'add_to_conversation', {
      id: 1001,
      text: 'Seen in Slack by Sam',
      as: 'note',
    });
    expect(answer.isError).toBeFalsy();
    const conversation = helpscout.conversation(1001);
    expect(conversation?.threads.at(-1)).toMatchObject({ type: 'note', text: 'Seen in Slack by Sam' });
    expect(conversation?.status).toBe('closed');
  });

  it('says plainly when the conversation does not exist, the text is empty or HelpScout is down', async () => {
    const missing = await call(stdio, 'add_to_conversation', { id: '424242', text: 'hello', as: 'note' });
    expect(missing).toMatchObject({ isError: true, structuredContent: { error: { retryable: false } } });
    expect(missing.text).toMatch(/could not find/);
    const before = helpscout.requests.length;
    const empty = await call(stdio, 'add_to_conversation', { id: '1000', text: '   ', as: 'customer' });
    expect(empty).toMatchObject({ isError: true });
    expect(empty.text).toMatch(/empty/);
    expect(helpscout.requests.length).toBe(before);
    helpscout.failNext(1, { status: 503, body: { message: 'Service unavailable', logRef: 'x' } });
    expect(await call(stdio, 'add_to_conversation', { id: '1000', text: 'x', as: 'note' })).toMatchObject({
      isError: true,
      structuredContent: { error: { retryable: true } },
    });
  });

  it('names the missing credentials', async () => {
    const unset = await stdioClient('helpscout', { HELPSCOUT_API_URL: helpscout.url });
    const answer = await call(unset, 'search_conversations', { query: 'invoice' });
    await unset.close();
    expect(answer.text).toMatch(
      /HelpScout is not configured: set HELPSCOUT_APP_ID, HELPSCOUT_APP_SECRET, HELPSCOUT_MAILBOX_ID/,
    );
  });
});
