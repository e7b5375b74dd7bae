import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOn } from '../../src/runtime/listen.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

describe('listening on a port that cannot be had', () => {
  const squatter = createServer();
  let port: number;
  beforeAll(async () => {
    port = await listenOn(squatter, 0, '127.0.0.1', 'PORT');
  });
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('names the port and the setting that chose it, and says what to do', async () => {
    const second = createServer();
    await expect(listenOn(second, port, '127.0.0.1', 'PORT')).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use (PORT): another deskhand or another program listens there; stop it, or set PORT to a free port`,
    );
    expect(second.listening).toBe(false);
    // The port a listen got is the one it resolves with.
    const free = createServer();
    const got = await listenOn(free, 0, '127.0.0.1', 'PORT');
    expect(got).toBe((free.address() as AddressInfo).port);
    await new Promise<void>((resolve) => free.close(() => resolve()));
  });

  it('`deskhand mcp kb --http --port N` on a taken port says so in one line and exits 1', async () => {
    const run = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [DESKHAND_BIN, 'mcp', 'kb', '--http', '--port', String(port), '--host', '127.0.0.1'],
        { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 30_000 },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is already in use (--port)`);
  }, 40_000);
});
