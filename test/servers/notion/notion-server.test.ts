import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { runNotionServer } from '../../../src/servers/notion/main.js';
import type { RunningMcpServer } from '../../../src/servers/shared/serve.js';
import { FAKE_NOTION_TOKEN, FakeNotion } from '../../harness/fake-notion.js';
import { call, httpClient, stdioClient } from '../../harness/mcp-client.js';

interface Page {
  title: string;
  snippet: string;
  url: string;
  content?: string;
}

describe('the Notion MCP server', () => {
  const notion = new FakeNotion();
  let stdio: Client;
  let http: Client;
  let running: RunningMcpServer;

  beforeAll(async () => {
    await notion.start();
    stdio = await stdioClient('notion', { NOTION_TOKEN: FAKE_NOTION_TOKEN, NOTION_API_URL: notion.url });
    running = await runNotionServer({
      transport: 'http',
      port: 0,
      token: FAKE_NOTION_TOKEN,
      apiUrl: notion.url,
      authToken: 'mcp-token',
      logger: createLogger({ level: 'silent' }),
    });
    http = await httpClient(running.url as string, { Authorization: 'Bearer mcp-token' });
  }, 30_000);
  afterAll(async () => {
    await stdio?.close();
    await http?.close();
    await running?.close();
    await notion.close();
  });
  beforeEach(() => {
    notion.requests.length = 0;
  });

  it('offers search_pages', async () => {
    const { tools } = await stdio.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['search_pages']);
  });

  for (const [name, client] of [
    ['stdio', () => stdio],
    ['streamable HTTP', () => http],
  ] as const) {
    it(`finds a page with its title, link and a snippet from its blocks (${name})`, async () => {
      const answer = await call(client(), 'search_pages', { query: 'password reset', limit: 3 });
      expect(answer.isError).toBeFalsy();
      const results = (answer.structuredContent as { results: Page[] }).results;
      expect(results[0]).toMatchObject({
        title: 'Password reset runbook',
        url: expect.stringContaining('notion.so'),
      });
      expect(results[0]?.snippet).toMatch(/reset email/);
      expect(JSON.parse(answer.text)).toEqual(answer.structuredContent);
      const search = notion.requests.find((request) => request.path === '/v1/search');
      expect(search?.headers['notion-version']).toBe('2022-06-28');
      expect(JSON.parse(search?.body ?? '{}')).toMatchObject({
        filter: { property: 'object', value: 'page' },
      });
    });
  }

  it('reads every page of a long page with include_content', async () => {
    const answer = await call(stdio, 'search_pages', {
      query: 'on-call escalate',
      include_content: true,
      limit: 1,
    });
    const [page] = (answer.structuredContent as { results: Page[] }).results;
    expect(page?.content?.split('\n')).toHaveLength(130);
    expect(notion.requests.filter((request) => request.path.includes('start_cursor=100'))).toHaveLength(1);
  });

  it('returns the page text by section with include_content, numbered items as steps', async () => {
    const answer = await call(stdio, 'search_pages', { query: 'password reset', include_content: true });
    const results = (
      answer.structuredContent as {
        results: Array<Page & { sections?: Array<{ heading?: string; text: string }> }>;
      }
    ).results;
    const runbook = results.find((page) => page.title === 'Password reset runbook');
    expect(runbook?.sections).toEqual([
      {
        heading: 'When a customer cannot reset their password',
        text: expect.stringMatching(
          /^Check that the reset email[\s\S]*• Reset links expire after 60 minutes\.$/,
        ),
      },
    ]);
    const handbook = await call(stdio, 'search_pages', {
      query: 'on-call escalate',
      include_content: true,
      limit: 1,
    });
    const [page] = (handbook.structuredContent as { results: Array<{ sections?: Array<{ text: string }> }> })
      .results;
    const lines = page?.sections?.[0]?.text.split('\n') ?? [];
    expect(lines[0]).toBe('1. Step 1: escalate outages to the on-call engineer');
    expect(lines[129]).toMatch(/^130\. Step 130/);
  });

  it('waits out a 429 as Retry-After says and succeeds', async () => {
    notion.failNext(1, {
      status: 429,
      headers: { 'Retry-After': '0' },
      body: { object: 'error', status: 429, code: 'rate_limited', message: 'Rate limited' },
    });
    const answer = await call(stdio, 'search_pages', { query: 'refund' });
    expect(answer.isError).toBeFalsy();
    expect((answer.structuredContent as { results: Page[] }).results[0]?.title).toBe('Refund policy');
  });

  it('says to come back later when Notion asks for a long wait, marked retryable', async () => {
    notion.failNext(1, {
      status: 429,
      headers: { 'Retry-After': '60' },
      body: { object: 'error', status: 429, code: 'rate_limited', message: 'Rate limited' },
    });
    const answer = await call(stdio, 'search_pages', { query: 'refund' });
    expect(answer.isError).toBe(true);
    expect(answer.structuredContent).toEqual({
      error: { message: expect.stringMatching(/rate limiting/), retryable: true, retry_after_s: 60 },
    });
  });

  it('turns a rejected token into what to fix, not retryable', async () => {
    const wrong = await stdioClient('notion', { NOTION_TOKEN: 'secret_wrong', NOTION_API_URL: notion.url });
    const answer = await call(wrong, 'search_pages', { query: 'refund' });
    await wrong.close();
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe(
      'Notion rejected the token: check NOTION_TOKEN and that the integration is shared with the pages',
    );
    expect((answer.structuredContent as { error: { retryable: boolean } }).error.retryable).toBe(false);
  });

  it('marks Notion trouble (5xx) as retryable', async () => {
    notion.failNext(1, {
      status: 503,
      body: { object: 'error', status: 503, code: 'service_unavailable', message: 'down' },
    });
    const answer = await call(stdio, 'search_pages', { query: 'refund' });
    expect(answer).toMatchObject({ isError: true, structuredContent: { error: { retryable: true } } });
    expect(answer.text).toMatch(/Notion is having trouble \(status 503\)/);
  });

  it('explains how to set NOTION_TOKEN when it is missing', async () => {
    const unset = await stdioClient('notion', { NOTION_API_URL: notion.url });
    const answer = await call(unset, 'search_pages', { query: 'refund' });
    await unset.close();
    expect(answer.text).toMatch(/NOTION_TOKEN is not set/);
  });
});
