import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_BODY_BYTES, type RunningMcpServer, serveMcp } from '../../../src/servers/shared/serve.js';
import { signMcpRequest } from '../../../src/servers/shared/signing.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const logger = pino({ level: 'silent' });
const TOKEN = 'serve-test-token';
const SECRET = 'serve-test-secret';

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});
const MCP_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };

function createEchoServer(): McpServer {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool(
    'echo',
    { inputSchema: { text: z.string() }, outputSchema: { text: z.string() } },
    async ({ text }) => ({ structuredContent: { text }, content: [{ type: 'text', text }] }),
  );
  return server;
}

const running: RunningMcpServer[] = [];
async function serveEcho(options: { authToken?: string; signingSecret?: string } = {}): Promise<string> {
  const server = await serveMcp(createEchoServer, {
    transport: 'http',
    port: 0,
    logger,
    name: 'echo',
    ...options,
  });
  running.push(server);
  return server.url as string;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A fetch that signs every request the way deskhand's MCP client does. */
function signingFetch(secret: string, clock: () => number = () => Math.floor(Date.now() / 1000)) {
  return (url: string | URL, init: RequestInit = {}) => {
    const timestamp = clock();
    const body = typeof init.body === 'string' ? init.body : '';
    const headers = new Headers(init.headers);
    headers.set('X-Deskhand-Timestamp', String(timestamp));
    headers.set('X-Deskhand-Signature', signMcpRequest(secret, timestamp, body));
    return fetch(url, { ...init, headers });
  };
}

async function echoThrough(client: Client, text: string): Promise<unknown> {
  const result = (await client.callTool({ name: 'echo', arguments: { text } })) as CallToolResult;
  return result.structuredContent;
}

describe('serveMcp over streamable HTTP', () => {
  it('serves /mcp on 127.0.0.1 and answers /healthz', async () => {
    const url = await serveEcho();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const health = await fetch(new URL('/healthz', url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', server: 'echo' });
    expect((await fetch(new URL('/other', url))).status).toBe(404);
  });

  it('opens one session per client and forgets it when the client ends it', async () => {
    const url = await serveEcho();
    const transport = new StreamableHTTPClientTransport(new URL(url));
    const client = new Client({ name: 'test', version: '1' });
    await client.connect(transport);
    expect(await echoThrough(client, 'hello')).toEqual({ text: 'hello' });
    expect(await (await fetch(new URL('/healthz', url))).json()).toMatchObject({ sessions: 1 });

    await transport.terminateSession();
    await client.close();
    expect(await (await fetch(new URL('/healthz', url))).json()).toMatchObject({ sessions: 0 });
  });

  it('answers an unknown session with 404 and a request without one with 400', async () => {
    const url = await serveEcho();
    const listTools = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const unknown = await fetch(url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, 'Mcp-Session-Id': 'no-such-session' },
      body: listTools,
    });
    expect(unknown.status).toBe(404);
    expect((await fetch(url, { method: 'POST', headers: MCP_HEADERS, body: listTools })).status).toBe(400);
    expect((await fetch(url, { method: 'POST', headers: MCP_HEADERS, body: '{not json' })).status).toBe(400);
  });

  describe('with an auth token', () => {
    it('refuses a request without a bearer token with 401', async () => {
      const url = await serveEcho({ authToken: TOKEN });
      const response = await fetch(url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.json()).toMatchObject({
        error: 'unauthorized',
        message: expect.stringContaining('Bearer'),
      });
    });

    it('refuses a wrong bearer token with 401, also through the SDK client', async () => {
      const url = await serveEcho({ authToken: TOKEN });
      const wrong = await fetch(url, {
        method: 'POST',
        headers: { ...MCP_HEADERS, Authorization: `Bearer ${TOKEN}x` },
        body: INITIALIZE,
      });
      expect(wrong.status).toBe(401);

      const client = new Client({ name: 'test', version: '1' });
      const transport = new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: 'Bearer wrong' } },
      });
      await expect(client.connect(transport)).rejects.toThrow();
      await client.close();
    });

    it('serves a client that sends the right bearer token', async () => {
      const url = await serveEcho({ authToken: TOKEN });
      const client = new Client({ name: 'test', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
        }),
      );
      expect(await echoThrough(client, 'authorised')).toEqual({ text: 'authorised' });
      await client.close();
    });

    it('leaves /healthz open for probes', async () => {
      const url = await serveEcho({ authToken: TOKEN });
      expect((await fetch(new URL('/healthz', url))).status).toBe(200);
    });
  });

  describe('with a signing secret', () => {
    it('serves a client that signs its requests', async () => {
      const url = await serveEcho({ signingSecret: SECRET });
      const transport = new StreamableHTTPClientTransport(new URL(url), { fetch: signingFetch(SECRET) });
      const client = new Client({ name: 'test', version: '1' });
      await client.connect(transport);
      expect(await echoThrough(client, 'signed')).toEqual({ text: 'signed' });
      await transport.terminateSession();
      await client.close();
    });

    it('refuses an unsigned request with 401', async () => {
      const url = await serveEcho({ signingSecret: SECRET });
      const response = await fetch(url, { method: 'POST', headers: MCP_HEADERS, body: INITIALIZE });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        error: 'unauthorized',
        message: expect.stringContaining('missing'),
      });
    });

    it('refuses a signature made with another secret or over another body with 401', async () => {
      const url = await serveEcho({ signingSecret: SECRET });
      const timestamp = Math.floor(Date.now() / 1000);
      for (const signature of [
        signMcpRequest('wrong', timestamp, INITIALIZE),
        signMcpRequest(SECRET, timestamp, '{}'),
      ]) {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            ...MCP_HEADERS,
            'X-Deskhand-Timestamp': String(timestamp),
            'X-Deskhand-Signature': signature,
          },
          body: INITIALIZE,
        });
        expect(response.status).toBe(401);
      }
    });

    it('refuses a correctly signed but stale request with 401', async () => {
      const url = await serveEcho({ signingSecret: SECRET });
      const client = new Client({ name: 'test', version: '1' });
      const tenMinutesAgo = () => Math.floor(Date.now() / 1000) - 600;
      await expect(
        client.connect(
          new StreamableHTTPClientTransport(new URL(url), { fetch: signingFetch(SECRET, tenMinutesAgo) }),
        ),
      ).rejects.toThrow();
      await client.close();
    });
  });

  it('refuses a body over 1 MB with 413', async () => {
    const url = await serveEcho({ authToken: TOKEN });
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'ping',
      params: { pad: 'x'.repeat(MAX_BODY_BYTES) },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...MCP_HEADERS, Authorization: `Bearer ${TOKEN}` },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
  });

  it('refuses a streamed body that grows past 1 MB with 413', async () => {
    const url = new URL(await serveEcho());
    const status = await new Promise<number | undefined>((resolveStatus, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: MCP_HEADERS },
        (res) => {
          res.resume();
          resolveStatus(res.statusCode);
        },
      );
      req.on('error', reject);
      // No Content-Length: the size is only known while reading.
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += 64 * 1024) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  it('stops listening on close', async () => {
    const server = await serveMcp(createEchoServer, { transport: 'http', logger, name: 'echo' });
    await server.close();
    await server.close();
    await expect(fetch(new URL('/healthz', server.url))).rejects.toThrow();
  });
});

describe('serveMcp over stdio', () => {
  function spawnKbOverStdio() {
    const child = spawn(
      process.execPath,
      [resolve(repoRoot, 'bin/run-ts.js'), 'src/servers/kb/stdio-entry.ts'],
      {
        cwd: repoRoot,
        env: { ...process.env, KNOWLEDGE_DIR: resolve(repoRoot, 'knowledge'), LOG_LEVEL: 'info' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const ready = new Promise<void>((resolveReady) => {
      child.stderr.on('data', () => {
        if (stderr.includes('listening on stdio')) resolveReady();
      });
    });
    return { child, ready, output: () => ({ stdout, stderr }) };
  }

  it('exits cleanly when its stdin closes, writing logs to stderr only', async () => {
    const { child, ready, output } = spawnKbOverStdio();
    await ready;
    child.stdin.end();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(output().stdout).toBe('');
    expect(output().stderr).toContain('stdin closed');
  });

  it('exits cleanly on SIGTERM', async () => {
    const { child, ready } = spawnKbOverStdio();
    await ready;
    child.kill('SIGTERM');
    const [code, signal] = await once(child, 'exit');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
  });
});
