import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKbServer } from '../../../src/servers/kb/main.js';
import type { RunningMcpServer } from '../../../src/servers/shared/serve.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const knowledgeDir = resolve(repoRoot, 'knowledge');
const AUTH_TOKEN = 'kb-test-token';

interface PageResult {
  title: string;
  snippet: string;
  url: string;
  path: string;
  score: number;
  content?: string;
}

interface Connection {
  client: Client;
  close(): Promise<void>;
}

async function connectOverStdio(): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [resolve(repoRoot, 'bin/run-ts.js'), 'src/servers/kb/stdio-entry.ts'],
    cwd: repoRoot,
    env: { ...getDefaultEnvironment(), KNOWLEDGE_DIR: knowledgeDir, LOG_LEVEL: 'warn' },
    stderr: 'inherit',
  });
  const client = new Client({ name: 'kb-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

async function connectOverHttp(): Promise<Connection> {
  const server: RunningMcpServer = await runKbServer({
    transport: 'http',
    port: 0,
    knowledgeDir,
    authToken: AUTH_TOKEN,
    logger: pino({ level: 'silent' }),
  });
  const transport = new StreamableHTTPClientTransport(new URL(server.url as string), {
    requestInit: { headers: { Authorization: `Bearer ${AUTH_TOKEN}` } },
  });
  const client = new Client({ name: 'kb-test', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

async function search(client: Client, args: Record<string, unknown>) {
  const result = (await client.callTool({ name: 'search_pages', arguments: args })) as CallToolResult;
  const results = (result.structuredContent as { results: PageResult[] } | undefined)?.results ?? [];
  return { result, results };
}

describe.each([
  ['stdio', connectOverStdio],
  ['streamable HTTP', connectOverHttp],
])('the knowledge base MCP server over %s', (_transport, connect) => {
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await connect();
    client = connection.client;
  });

  afterAll(async () => {
    await connection?.close();
  });

  it('lists search_pages with its input and output schemas', async () => {
    const { tools } = await client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'search_pages');
    expect(tool?.inputSchema).toMatchObject({
      type: 'object',
      properties: {
        query: { type: 'string' },
        limit: { type: 'integer', minimum: 1, maximum: 20 },
        include_content: { type: 'boolean' },
      },
      required: ['query'],
    });
    expect(tool?.outputSchema?.properties).toHaveProperty('results');
    expect(tool?.annotations?.readOnlyHint).toBe(true);
  });

  it('ranks the password article first for a password-reset question', async () => {
    const { result, results } = await search(client, { query: 'How do I reset my password?' });
    expect(result.isError).toBeFalsy();
    expect(results[0]).toMatchObject({
      title: 'Reset your password',
      url: 'https://help.acme.example/articles/reset-password',
      path: 'reset-password.md',
    });
    expect(results[0]?.snippet.toLowerCase()).toContain('password');
    expect(results[0]?.content).toBeUndefined();
    expect(results.length).toBeLessThanOrEqual(5);
    const scores = results.map((page) => page.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const score of scores) expect(Math.round(score * 1000) / 1000).toBe(score);
  });

  it('finds the SSO article for a single sign-on question', async () => {
    const { results } = await search(client, { query: 'How do we set up SSO with Okta or Azure AD?' });
    expect(results[0]?.path).toBe('single-sign-on.md');
  });

  it('still finds the password article when the question has a typo', async () => {
    const { results } = await search(client, { query: 'pasword' });
    expect(results[0]?.path).toBe('reset-password.md');
  });

  it('returns the article markdown with include_content and honours limit', async () => {
    const { results } = await search(client, {
      query: 'failed payment card declined',
      limit: 2,
      include_content: true,
    });
    expect(results).toHaveLength(2);
    expect(results[0]?.path).toBe('failed-payments.md');
    expect(results[0]?.content).toMatch(/^# Billing and failed payments/);
  });

  it('finds a section deep in an article, names it, and gives the article by section with steps kept', async () => {
    const { results } = await search(client, {
      query: 'the reset email never arrived',
      limit: 1,
      include_content: true,
    });
    const [page] = results as Array<
      (typeof results)[number] & { section?: string; sections?: Array<{ heading?: string; text: string }> }
    >;
    expect(page?.path).toBe('reset-password.md');
    expect(page?.section).toBe('The reset email did not arrive');
    expect(page?.snippet).toMatch(/spam/);
    const steps = page?.sections?.find((section) => section.heading === 'Reset it from the sign-in page');
    expect(steps?.text.split('\n')[0]).toMatch(
      /^1\. Go to https:\/\/app\.acme\.example\/login and click Forgot password\?/,
    );
    expect(steps?.text.split('\n')[2]).toMatch(
      /^3\. Open the email .* The link is valid for 60 minutes and can be used once\.$/,
    );
  });

  it('reads abbreviations and their long forms alike', async () => {
    for (const query of ['how do I turn on 2FA', 'enable two-factor authentication', 'set up MFA']) {
      const { results } = await search(client, { query });
      expect(results[0]?.path, query).toBe('two-factor-authentication.md');
    }
  });

  it('puts the same results in structuredContent and the JSON text block', async () => {
    for (const include_content of [false, true]) {
      // Twice each: the second search serialises each article's content from what the first kept.
      for (const query of ['API rate limit 429', 'rate limits for the API']) {
        const { result } = await search(client, { query, include_content });
        const [block] = result.content;
        expect(block?.type).toBe('text');
        expect((block as { text: string }).text).toBe(JSON.stringify(result.structuredContent));
      }
    }
  });

  it('answers an empty query with an error a person can act on', async () => {
    const { result } = await search(client, { query: '   ' });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(/query is empty/i);
  });

  it('rejects a limit out of range as a tool error', async () => {
    const { result } = await search(client, { query: 'invoice', limit: 50 });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(/limit/);
  });
});

describe('the knowledge base MCP server with a missing folder', () => {
  it('says which folder is missing and how to fix it', async () => {
    const server = await runKbServer({
      transport: 'http',
      knowledgeDir: resolve(repoRoot, 'no-such-knowledge-folder'),
      logger: pino({ level: 'silent' }),
    });
    const client = new Client({ name: 'kb-test', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url as string)));
      const { result } = await search(client, { query: 'password' });
      expect(result.isError).toBe(true);
      expect((result.content[0] as { text: string }).text).toMatch(
        /no-such-knowledge-folder does not exist.*KNOWLEDGE_DIR/,
      );
    } finally {
      await client.close();
      await server.close();
    }
  });
});
