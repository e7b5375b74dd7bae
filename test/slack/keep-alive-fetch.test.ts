import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepAliveFetch } from '../../src/slack/keep-alive-fetch.js';

let server: Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      seen.push({ method: request.method, url: request.url, headers: request.headers, body });
      if (request.url === '/limited') {
        response.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        response.end('{"ok":false,"error":"ratelimited"}');
      } else if (request.url === '/empty') {
        response.writeHead(204);
        response.end();
      } else if (request.url === '/moved') {
        response.writeHead(307, { location: '/echo' });
        response.end();
      } else if (request.url === '/slow') {
        setTimeout(() => response.end('late'), 2_000);
      } else {
        response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
        response.end(JSON.stringify({ ok: true, got: body }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('keepAliveFetch', () => {
  it('posts a body with its headers and reads the answer as fetch would', async () => {
    const response = await keepAliveFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"text":"héllo"}',
    });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${base}/echo`);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true, got: '{"text":"héllo"}' });
    const request = seen.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['content-length']).toBe(String(Buffer.byteLength('{"text":"héllo"}')));
  });

  it('gives an error status and its Retry-After as they came, without throwing', async () => {
    const response = await keepAliveFetch(new URL(`${base}/limited`), { method: 'POST', body: 'a=1' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.text()).toContain('ratelimited');
  });

  it('reads a response with no body', async () => {
    const response = await keepAliveFetch(`${base}/empty`, { method: 'POST', body: '' });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });

  it('follows a redirect, as fetch does', async () => {
    const response = await keepAliveFetch(`${base}/moved`, { method: 'POST', body: 'x' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
  });

  it("fails on a redirect when told redirect: 'error', and returns it as it came with 'manual', as fetch does", async () => {
    await expect(
      keepAliveFetch(`${base}/moved`, { method: 'POST', body: 'x', redirect: 'error' }),
    ).rejects.toThrow(TypeError);
    const manual = await keepAliveFetch(`${base}/moved`, { method: 'POST', body: 'x', redirect: 'manual' });
    expect(manual.status).toBe(307);
    expect(manual.headers.get('location')).toBe('/echo');
  });

  it("sends a Web API call (a string body, redirect: 'error') over node:http, not the built-in fetch", async () => {
    const response = await keepAliveFetch(`${base}/echo`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'user=U1',
      redirect: 'error',
    });
    expect(await response.json()).toEqual({ ok: true, got: 'user=U1' });
    // undici's fetch always sends sec-fetch-mode; node:http never does.
    expect(seen.at(-1)?.headers['sec-fetch-mode']).toBeUndefined();
  });

  it('gives up when its signal aborts', async () => {
    await expect(keepAliveFetch(`${base}/slow`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  it('reuses its connection between calls', async () => {
    await keepAliveFetch(`${base}/echo`, { method: 'POST', body: '1' });
    await keepAliveFetch(`${base}/echo`, { method: 'POST', body: '2' });
    const [first, second] = seen.slice(-2);
    expect(first?.headers.connection).toBe('keep-alive');
    expect(second?.headers.connection).toBe('keep-alive');
  });

  it('leaves a form upload to the built-in fetch', async () => {
    const form = new FormData();
    form.append('file', new Blob(['content']), 'notes.txt');
    const response = await keepAliveFetch(`${base}/echo`, { method: 'POST', body: form });
    expect(response.ok).toBe(true);
    expect(seen.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data/);
  });
});

describe('keepAliveFetch on connections the server closes', () => {
  /** A server on its own port (its own pool of kept connections); `onRequest` answers or drops each request. */
  async function serverWith(
    onRequest: (request: IncomingMessage, response: ServerResponse, nthOnConnection: number) => void,
    keepAliveTimeoutMs?: number,
  ) {
    const perConnection = new WeakMap<object, number>();
    let connections = 0;
    let requests = 0;
    const local = createServer((request, response) => {
      requests += 1;
      const nth = (perConnection.get(request.socket) ?? 0) + 1;
      perConnection.set(request.socket, nth);
      request.resume();
      request.on('end', () => onRequest(request, response, nth));
    });
    if (keepAliveTimeoutMs !== undefined) local.keepAliveTimeout = keepAliveTimeoutMs;
    local.on('connection', () => {
      connections += 1;
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(local.address() as AddressInfo).port}/`,
      counts: () => ({ connections, requests }),
      close: async () => {
        local.closeAllConnections();
        await new Promise((resolve) => local.close(resolve));
      },
    };
  }

  it("drops an idle connection before the server's Keep-Alive timeout, instead of racing its close", async () => {
    // The server says `Keep-Alive: timeout=2` and closes idle connections after 2 s.
    const local = await serverWith((_request, response) => response.end('ok'), 2_000);
    try {
      await keepAliveFetch(local.url, { method: 'POST', body: 'first' });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      // Past the hint less a second, before the server's own close: a new connection, not the doomed one.
      expect((await keepAliveFetch(local.url, { method: 'POST', body: 'second' })).ok).toBe(true);
      expect(local.counts()).toEqual({ connections: 2, requests: 2 });
    } finally {
      await local.close();
    }
  });

  it('sends again on a new connection when a kept one was closed under the request', async () => {
    // The second request on any connection finds it closed, as when the server's idle timer fires just then.
    const local = await serverWith((request, response, nth) => {
      if (nth === 2) request.socket.destroy();
      else response.end(`answered ${nth}`);
    });
    try {
      await keepAliveFetch(local.url, { method: 'POST', body: 'card 1' });
      const response = await keepAliveFetch(local.url, { method: 'POST', body: 'card 2' });
      expect(await response.text()).toBe('answered 1');
      expect(local.counts()).toEqual({ connections: 2, requests: 3 });
    } finally {
      await local.close();
    }
  });

  it('does not send again when a new connection fails: the server may have read it', async () => {
    const local = await serverWith((request) => request.socket.destroy());
    try {
      await expect(keepAliveFetch(local.url, { method: 'POST', body: 'card' })).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      expect(local.counts()).toEqual({ connections: 1, requests: 1 });
    } finally {
      await local.close();
    }
  });
});
