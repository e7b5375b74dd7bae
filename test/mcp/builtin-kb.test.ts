import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { McpServiceConfig } from '../../src/config/mcp-services.js';
import { parseMcpServices } from '../../src/config/mcp-services.js';
import { ServiceConnection } from '../../src/mcp/connection.js';
import { defaultServices, McpRegistry } from '../../src/mcp/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetricsRegistry } from '../../src/observability/metrics.js';

const logger = createLogger({ level: 'silent' });

/** This process's children: a built-in kb must start none. */
function childPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the built-in kb (transport: builtin)', () => {
  const open: McpRegistry[] = [];
  afterEach(async () => {
    for (const registry of open.splice(0)) await registry.close();
  });

  it('is the default source: a real MCP client and server in the bot process, with no child process', async () => {
    const before = childPids();
    const registry = new McpRegistry({
      services: defaultServices({ knowledgeDir: 'knowledge' }),
      logger,
      metrics: createMetricsRegistry(),
    });
    open.push(registry);
    await registry.connectAll();
    expect(registry.status()[0]).toMatchObject({
      service: 'kb',
      transport: 'builtin',
      state: 'connected',
      tools: ['search_pages'],
    });
    const [source] = registry.knowledgeSources();
    const hits = await source?.search('reset password', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits?.[0]?.title).toBe('Reset your password');
    expect(hits?.[0]?.passages?.length).toBeGreaterThan(0);
    expect(childPids()).toEqual(before);
  });

  it('reconnects, over the same index, after its connection is dropped', async () => {
    const [config] = defaultServices({ knowledgeDir: 'knowledge' });
    const connection = new ServiceConnection(config as McpServiceConfig, {
      logger,
      initialDelayMs: 20,
      maxDelayMs: 50,
    });
    try {
      await connection.connect();
      expect(connection.state).toBe('connected');
      connection.markBroken('dropped by the test');
      expect(connection.state).toBe('reconnecting');
      const deadline = Date.now() + 5_000;
      while (connection.state !== 'connected' && Date.now() < deadline)
        await new Promise((done) => setTimeout(done, 20));
      const result = await connection.callTool('search_pages', { query: 'two factor' }, { timeoutMs: 5_000 });
      expect(JSON.stringify(result.structuredContent)).toMatch(/two-factor/i);
    } finally {
      await connection.close();
    }
  });

  it('can be named in a services file, with its own knowledge folder', () => {
    const [kb] = parseMcpServices(
      `services:\n  kb:\n    transport: builtin\n    env: { KNOWLEDGE_DIR: ${JSON.stringify(resolve('knowledge'))} }\n`,
      'mcp_services.yml',
      {},
    );
    expect(kb).toMatchObject({
      name: 'kb',
      transport: 'builtin',
      env: { KNOWLEDGE_DIR: resolve('knowledge') },
    });
  });
});
