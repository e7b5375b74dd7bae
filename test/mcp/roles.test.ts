import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServiceConfig } from '../../src/config/mcp-services.js';
import { McpRegistry } from '../../src/mcp/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetricsRegistry } from '../../src/observability/metrics.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

const logger = createLogger({ level: 'silent' });
const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const SLOW_START = fileURLToPath(new URL('../harness/slow-start.mjs', import.meta.url));
const LATE_TOOLS = fileURLToPath(new URL('../harness/late-tools-server.ts', import.meta.url));
const KNOWLEDGE_DIR = resolve('knowledge');

function stdio(name: string, args: string[], overrides: Partial<McpServiceConfig> = {}): McpServiceConfig {
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args,
    env: { KNOWLEDGE_DIR, LOG_LEVEL: 'warn' },
    headers: {},
    timeout_ms: 5_000,
    connect_timeout_ms: 20_000,
    retry_attempts: 1,
    max_concurrency: 4,
    profile: 'deskhand',
    enabled: true,
    ...overrides,
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** The pid of this process's child whose command line holds every one of `words`. */
function childWith(words: string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (ppid === process.pid && words.every((word) => cmdline.includes(word))) return Number(entry);
    } catch {
      // The process ended while being read.
    }
  }
  return undefined;
}

describe('roles follow connections', () => {
  const open: McpRegistry[] = [];
  afterEach(async () => {
    for (const registry of open.splice(0)) await registry.close();
  });
  function registryOf(services: McpServiceConfig[]): McpRegistry {
    const registry = new McpRegistry({
      services,
      logger,
      metrics: createMetricsRegistry(),
      reconnect: { initialDelayMs: 100, maxDelayMs: 500 },
    });
    open.push(registry);
    return registry;
  }

  it('a server slower to start than timeout_ms connects at its first try, within connect_timeout_ms', async () => {
    const registry = registryOf([
      stdio('kb', [SLOW_START, '2500', DESKHAND_BIN, 'mcp', 'kb'], { timeout_ms: 500 }),
    ]);
    await registry.connectAll();
    expect(registry.status()[0]).toMatchObject({ state: 'connected', tools: ['search_pages'] });
    const [source] = registry.knowledgeSources();
    const hits = await source?.search('reset password', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits?.length).toBeGreaterThan(0);
  }, 30_000);

  it('gives up on a start that takes longer than connect_timeout_ms, and says so', async () => {
    const registry = registryOf([
      stdio('kb', [SLOW_START, '10000', DESKHAND_BIN, 'mcp', 'kb'], { connect_timeout_ms: 800 }),
    ]);
    const started = Date.now();
    await registry.connectAll();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(registry.status()[0]).toMatchObject({ state: 'reconnecting' });
    expect(registry.status()[0]?.lastError).toMatch(/connect_timeout_ms \(800 ms\)/);
  }, 30_000);

  it('a service that connects after start becomes a knowledge source as soon as its tools are known', async () => {
    const registry = registryOf([
      stdio('kb', [DESKHAND_BIN, 'mcp', 'kb']),
      stdio('late', [SLOW_START, '3000', DESKHAND_BIN, 'mcp', 'kb']),
    ]);
    await registry.connectAll({ waitMs: 0 });
    await until(() => registry.status()[0]?.state === 'connected', 20_000);
    // Listed while still starting (reported unavailable), then available once connected.
    const late = () => registry.knowledgeSources().find((source) => source.name === 'late');
    expect(late()?.isAvailable()).toBe(false);
    await until(() => late()?.isAvailable() === true, 20_000);
    const hits = await late()?.search('reset password', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits?.length).toBeGreaterThan(0);
  }, 40_000);

  it('a kb that restarts is searched again once it is back', async () => {
    const registry = registryOf([stdio('kb', [DESKHAND_BIN, 'mcp', 'kb'])]);
    await registry.connectAll();
    const first = childWith([DESKHAND_BIN, 'mcp', 'kb']);
    expect(first).toBeDefined();
    process.kill(first as number, 'SIGKILL');
    await until(() => registry.status()[0]?.state !== 'connected', 10_000);
    expect(registry.knowledgeSources()[0]?.isAvailable()).toBe(false);
    await until(() => registry.status()[0]?.state === 'connected', 20_000);
    expect(childWith([DESKHAND_BIN, 'mcp', 'kb'])).not.toBe(first);
    const [source] = registry.knowledgeSources();
    const hits = await source?.search('reset password', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits?.length).toBeGreaterThan(0);
  }, 40_000);

  it('a server that adds its search tool later (tools/list_changed) becomes a knowledge source', async () => {
    const readyFile = join(await mkdtemp(join(tmpdir(), 'deskhand-late-tools-')), 'ready');
    const registry = registryOf([
      stdio('late', [RUN_TS, LATE_TOOLS], { env: { KNOWLEDGE_DIR, TOOLS_READY_FILE: readyFile } }),
    ]);
    await registry.connectAll();
    expect(registry.status()[0]).toMatchObject({ state: 'connected', tools: ['status'] });
    // Connected, tools known, no search among them: not a knowledge source.
    expect(registry.knowledgeSources()).toEqual([]);
    writeFileSync(readyFile, '');
    await until(() => registry.knowledgeSources().length === 1, 10_000);
    expect(registry.status()[0]?.tools).toEqual(['status', 'search_pages']);
    const [source] = registry.knowledgeSources();
    const hits = await source?.search('reset password', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits?.length).toBeGreaterThan(0);
  }, 30_000);
});
