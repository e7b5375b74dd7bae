import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readBody } from '../../src/playground/emulator/http.js';
import { boltFetch } from '../../src/slack/bolt-fetch.js';

/** What the server does with each next post, in order; then 200 `ok`. */
type Step = { status: number; retryAfter?: string } | 'drop';

let server: Server;
let base: string;
let script: Step[] = [];
let posts: Array<{ url?: string; body: string; at: number }> = [];

beforeAll(async () => {
  server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    posts.push({ url: request.url, body: await readBody(request), at: Date.now() });
    const step = script.shift();
    if (step === 'drop') {
      request.socket.destroy();
      return;
    }
    const status = step?.status ?? 200;
    response.writeHead(status, step?.retryAfter ? { 'retry-after': step.retryAfter } : {});
    response.end(status === 200 ? 'ok' : JSON.stringify({ ok: false, error: `status_${status}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  script = [];
  posts = [];
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (fetch: ReturnType<typeof boltFetch>, path: string, signal?: AbortSignal) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{"text":"the answer card"}',
    ...(signal ? { signal } : {}),
  });

describe('boltFetch', () => {
  const fetch = boltFetch('http://127.0.0.1:1/api/', { initialDelayMs: 20, maxDelayMs: 80 });

  it('sends a response_url post again after 5xx answers, then returns the answer', async () => {
    script = [{ status: 503 }, { status: 500 }];
    const response = await post(fetch, '/commands/T1/1/abc');
    expect(response.status).toBe(200);
    expect(posts.map((p) => p.body)).toEqual(Array(3).fill('{"text":"the answer card"}'));
  });

  it('sends it again when the connection drops without an answer', async () => {
    // Twice: a kept connection's drop is retried on a new one below this; the new one's is retried here.
    script = ['drop', 'drop'];
    expect((await post(fetch, '/actions/T1/2/def')).status).toBe(200);
    expect(posts).toHaveLength(3);
  });

  it("waits out a 429's Retry-After before sending again", async () => {
    script = [{ status: 429, retryAfter: '1' }];
    const response = await post(fetch, '/commands/T1/3/ghi');
    expect(response.status).toBe(200);
    const [first, second] = posts;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('returns a final answer (expired_url, used_url, a bad payload) without sending again', async () => {
    script = [{ status: 404 }];
    expect((await post(fetch, '/commands/T1/4/jkl')).status).toBe(404);
    script = [{ status: 400 }];
    expect((await post(fetch, '/commands/T1/4/jkl')).status).toBe(400);
    expect(posts).toHaveLength(2);
  });

  it('gives up after its retries, returning the last answer for Bolt to report', async () => {
    script = Array(6).fill({ status: 503 });
    const response = await post(
      boltFetch('http://127.0.0.1:1/api/', { retries: 2, initialDelayMs: 10 }),
      '/x',
    );
    expect(response.status).toBe(503);
    expect(posts).toHaveLength(3);
  });

  it('does not wait for a Retry-After longer than it allows', async () => {
    script = [{ status: 429, retryAfter: '120' }];
    expect((await post(fetch, '/commands/T1/5/mno')).status).toBe(429);
    expect(posts).toHaveLength(1);
  });

  it('leaves Web API calls to the WebClient, which retries them itself', async () => {
    script = [{ status: 503 }];
    const api = boltFetch(`${base}/api/`, { initialDelayMs: 10 });
    expect((await post(api, '/api/chat.postMessage')).status).toBe(503);
    expect(posts).toHaveLength(1);
  });

  it('stops when its signal aborts', async () => {
    script = Array(6).fill({ status: 503 });
    const slow = boltFetch('http://127.0.0.1:1/api/', { initialDelayMs: 200 });
    await expect(post(slow, '/y', AbortSignal.timeout(100))).rejects.toThrow();
    expect(posts.length).toBeLessThanOrEqual(2);
  });
});
