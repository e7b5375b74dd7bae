import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/observability/logger.js';

const logger = createLogger({ level: 'silent' });
const servers: HttpServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A server with one route that says which connection (by its number) it came on. */
async function serve(keepAliveMs?: number) {
  const server = new HttpServer(logger, { maxBodyBytes: 1024, ...(keepAliveMs ? { keepAliveMs } : {}) });
  servers.push(server);
  let connections = 0;
  const seen = new WeakMap<object, number>();
  server.addRoutes({
    method: 'GET',
    path: '/which',
    handler: (req, res) => {
      if (!seen.has(req.socket)) seen.set(req.socket, ++connections);
      res.end(String(seen.get(req.socket)));
    },
  });
  const port = await server.listen(0, '127.0.0.1');
  return { server, port };
}

describe("deskhand's HTTP server and idle connections", () => {
  it('keeps an idle connection open for HTTP_KEEP_ALIVE_MS, 65 s unless set, and refuses a bad value', () => {
    expect(loadEnv({}).httpKeepAliveMs).toBe(65_000);
    expect(loadEnv({ HTTP_KEEP_ALIVE_MS: '120000' }).httpKeepAliveMs).toBe(120_000);
    expect(() => loadEnv({ HTTP_KEEP_ALIVE_MS: 'forever' })).toThrow(/HTTP_KEEP_ALIVE_MS/);
  });

  it('serves the next request on a connection idle for less than the keep-alive, and closes it after', async () => {
    const { port } = await serve(1_500);
    // A raw connection, kept as long as the server allows, as a load balancer keeps its own.
    const socket = connect(port, '127.0.0.1');
    const answers: string[] = [];
    socket.on('data', (chunk: Buffer) => answers.push(chunk.toString().split('\r\n\r\n')[1] ?? ''));
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    const ask = () => socket.write('GET /which HTTP/1.1\r\nHost: deskhand\r\n\r\n');
    const until = async (n: number) => {
      while (answers.length < n) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    ask();
    await until(1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    ask();
    await until(2);
    const lastAnswer = Date.now();
    expect(answers).toEqual(['1', '1']);
    const idleFor = (await closed) - lastAnswer;
    expect(idleFor).toBeGreaterThanOrEqual(1_400);
    expect(idleFor).toBeLessThan(4_000);
  });
});
