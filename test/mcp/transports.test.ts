import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpServiceConfig } from '../../src/config/mcp-services.js';
import { McpRegistry } from '../../src/mcp/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetricsRegistry } from '../../src/observability/metrics.js';
import { KnowledgeBase } from '../../src/servers/kb/knowledge-index.js';
import { createKbServer } from '../../src/servers/kb/server.js';
import {
  type SocketMcpServer,
  type SocketMcpServerOptions,
  startSseMcpServer,
  startWebSocketMcpServer,
} from '../harness/mcp-socket-servers.js';

const logger = createLogger({ level: 'silent' });
const TOKEN = 'mcp-transport-test-token';
const knowledgeDir = resolve('knowledge');
const knowledgeBase = new KnowledgeBase({ knowledgeDir });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await pause(100);
    }
  }
}

function serviceFor(transport: 'sse' | 'websocket', url: string, token = TOKEN): McpServiceConfig {
  return {
    name: 'kb',
    transport,
    url,
    auth_token: token,
    args: [],
    env: {},
    headers: {},
    timeout_ms: 2_000,
    connect_timeout_ms: 5_000,
    retry_attempts: 1,
    max_concurrency: 8,
    profile: 'deskhand',
    enabled: true,
  };
}

const transports: {
  name: 'sse' | 'websocket';
  start: (options: SocketMcpServerOptions) => Promise<SocketMcpServer>;
}[] = [
  { name: 'sse', start: startSseMcpServer },
  { name: 'websocket', start: startWebSocketMcpServer },
];

describe.each(transports)('the $name MCP transport against a real server', ({ name, start }) => {
  let server: SocketMcpServer;
  let registry: McpRegistry;

  beforeAll(async () => {
    server = await start({
      createServer: () => createKbServer({ knowledgeDir, knowledgeBase }),
      token: TOKEN,
    });
    registry = new McpRegistry({
      services: [serviceFor(name, server.url)],
      logger,
      metrics: createMetricsRegistry(),
      reconnect: { initialDelayMs: 100, maxDelayMs: 1_000 },
    });
    await registry.connectAll();
  });
  afterAll(async () => {
    await registry?.close();
    await server?.stop();
  });

  it('connects with the bearer token and lists the tools', () => {
    expect(registry.status()).toMatchObject([
      { service: 'kb', transport: name, state: 'connected', tools: ['search_pages'] },
    ]);
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    if (name === 'sse') {
      // The stream is asked for as one, with the protocol version the client negotiated.
      const stream = server.requests.find((request) => request.method === 'GET' && request.path === '/sse');
      expect(stream?.headers.accept).toBe('text/event-stream');
      const post = server.requests.findLast((request) => request.method === 'POST');
      expect(post?.headers['mcp-protocol-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    } else {
      const upgrade = server.requests.find((request) => request.headers.upgrade === 'websocket');
      expect(upgrade?.headers['sec-websocket-protocol']).toBe('mcp');
    }
  });

  it('calls a tool and gets its structured result', async () => {
    const result = await registry.callTool('search_pages', { query: 'reset my password', limit: 3 });
    expect(result.isError).toBeFalsy();
    const structured = result.structuredContent as { results: { title: string; url?: string }[] };
    expect(structured.results[0]?.title).toBe('Reset your password');
    const [source] = registry.knowledgeSources();
    const hits = await source?.search('reset my password', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits?.[0]?.title).toBe('Reset your password');
  });

  it('after a server restart it reconnects by itself and calls work again', async () => {
    const connectionsBefore = server.connections;
    await server.stop();
    await eventually(async () => {
      expect(registry.status()[0]?.state).not.toBe('connected');
    }, 5_000).catch(async () => {
      // A transport that has not noticed the restart yet learns it from the next call.
      await registry.callTool('search_pages', { query: 'password' }).catch(() => undefined);
    });
    await server.start();
    const result = await eventually(() => registry.callTool('search_pages', { query: 'invoices' }), 15_000);
    expect(result.isError).toBeFalsy();
    expect(registry.status()[0]?.state).toBe('connected');
    expect(server.connections).toBeGreaterThan(connectionsBefore);
    // Every connection that made a call began with the handshake: no call went to a session that skipped it.
    const calling = server.sessions.filter((methods) => methods.includes('tools/call'));
    expect(calling.length).toBeGreaterThanOrEqual(2);
    for (const methods of calling) expect(methods[0]).toBe('initialize');
  }, 30_000);

  it('after a quick restart with no call in between, the next call still goes through a fresh handshake', async () => {
    const sessionsBefore = server.sessions.length;
    await server.stop();
    await server.start();
    // Long enough for an event stream to have reconnected by itself.
    await pause(4_000);
    const result = await eventually(() => registry.callTool('search_pages', { query: 'refund' }), 15_000);
    expect(result.isError).toBeFalsy();
    const calling = server.sessions.slice(sessionsBefore).filter((methods) => methods.includes('tools/call'));
    expect(calling).toHaveLength(1);
    expect(calling[0]?.[0]).toBe('initialize');
  }, 30_000);

  it('a wrong token is refused: the service is not connected and says why', async () => {
    const refused = new McpRegistry({
      services: [serviceFor(name, server.url, 'wrong-token')],
      logger,
      metrics: createMetricsRegistry(),
      reconnect: { initialDelayMs: 60_000 },
    });
    try {
      await refused.connectAll();
      const [status] = refused.status();
      expect(status?.state).toBe('reconnecting');
      expect(status?.lastError).toMatch(/401|Unauthorized|unexpected server response/i);
    } finally {
      await refused.close();
    }
  });
});
