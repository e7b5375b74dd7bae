import type { Counter } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpServiceConfig } from '../../src/config/mcp-services.js';
import { McpRegistry, type ToolCallRecord } from '../../src/mcp/index.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetricsRegistry } from '../../src/observability/metrics.js';
import { FlakySource } from '../faults/flaky-source.js';

const logger = createLogger({ level: 'silent' });

function service(name: string, url: string, overrides: Partial<McpServiceConfig> = {}): McpServiceConfig {
  return {
    name,
    transport: 'http',
    url,
    args: [],
    env: {},
    headers: {},
    timeout_ms: 1_000,
    connect_timeout_ms: 5_000,
    retry_attempts: 2,
    max_concurrency: 8,
    profile: 'deskhand',
    enabled: true,
    ...overrides,
  };
}

async function counterValue(
  registry: ReturnType<typeof createMetricsRegistry>,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = registry.getSingleMetric(name) as Counter | undefined;
  const values = (await metric?.get())?.values ?? [];
  return values
    .filter((value) => Object.entries(labels).every(([key, expected]) => value.labels[key] === expected))
    .reduce((sum, value) => sum + value.value, 0);
}

describe('the MCP layer', () => {
  const a = new FlakySource();
  const b = new FlakySource();
  const open: McpRegistry[] = [];
  beforeAll(async () => {
    await a.start();
    await b.start();
  });
  afterEach(async () => {
    for (const registry of open.splice(0)) await registry.close();
    a.mode = { kind: 'ok' };
    b.mode = { kind: 'ok' };
  });
  afterAll(async () => {
    await a.kill();
    await b.kill();
  });

  function connect(services: McpServiceConfig[], records: ToolCallRecord[] = [], policy = {}) {
    const metrics = createMetricsRegistry();
    const registry = new McpRegistry({
      services,
      logger,
      metrics,
      policy,
      recordToolCall: (record) => records.push(record),
    });
    open.push(registry);
    return { registry, metrics, ready: registry.connectAll() };
  }

  it('reaches a tool two services offer as service.tool, and says so for the bare name', async () => {
    const { registry, ready } = connect([service('docs', a.url), service('wiki', b.url)]);
    await ready;
    expect(registry.catalog().names()).toEqual(['docs.search_pages', 'wiki.search_pages']);
    expect(() => registry.callTool('search_pages', { query: 'x' })).toThrow(
      /offered by docs and wiki: call it as docs\.search_pages or wiki\.search_pages/,
    );
    const result = await registry.callTool('wiki.search_pages', { query: 'sso' });
    expect(result.structuredContent).toMatchObject({ results: [{ title: 'Flaky docs: sso' }] });
    expect(registry.knowledgeSources().map((source) => [source.name, source.label])).toEqual([
      ['docs', 'Docs'],
      ['wiki', 'Wiki'],
    ]);
  });

  it('retries a rate-limited answer, counting each attempt but one logical call', async () => {
    const records: ToolCallRecord[] = [];
    const { registry, metrics, ready } = connect([service('docs', a.url)], records);
    await ready;
    a.mode = { kind: 'rate_limited', times: 1 };
    const [source] = registry.knowledgeSources();
    const hits = await source!.search('invoices', { limit: 3, signal: AbortSignal.timeout(5_000) });
    expect(hits[0]?.title).toBe('Flaky docs: invoices');
    expect(records).toMatchObject([{ service: 'docs', tool: 'search_pages', outcome: 'ok', attempts: 2 }]);
    expect(await counterValue(metrics, 'mcp_requests_total', { service: 'docs' })).toBe(2);
    expect(await counterValue(metrics, 'mcp_tool_calls_total', { service: 'docs', outcome: 'ok' })).toBe(1);
    const text = await metrics.metrics();
    for (const name of [
      'mcp_requests_total',
      'mcp_request_duration_seconds',
      'mcp_active_connections',
      'mcp_tool_calls_total',
    ])
      expect(text).toContain(name);
  });

  it('sends no cancellation after a call that was answered', async () => {
    const { registry, ready } = connect([service('docs', a.url)]);
    await ready;
    const [source] = registry.knowledgeSources();
    const before = a.cancellations;
    for (let i = 0; i < 3; i++)
      await source!.search('invoices', { limit: 3, signal: AbortSignal.timeout(5_000) });
    // A cancellation would arrive as its own request right after the answer: give it the time.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.cancellations - before).toBe(0);
  });

  it("never retries a tool's own error answer", async () => {
    const records: ToolCallRecord[] = [];
    const { registry, ready } = connect([service('docs', a.url)], records);
    await ready;
    a.mode = { kind: 'tool_error' };
    const callsBefore = a.calls;
    const result = await registry.callTool('search_pages', { query: 'x' });
    expect(result.isError).toBe(true);
    expect(a.calls - callsBefore).toBe(1);
    expect(records).toMatchObject([{ outcome: 'tool_error', attempts: 1 }]);
  });

  it('holds the deadline against a server that hangs', async () => {
    const records: ToolCallRecord[] = [];
    const { registry, ready } = connect(
      [service('docs', a.url, { timeout_ms: 200, retry_attempts: 0 })],
      records,
    );
    await ready;
    a.mode = { kind: 'hang' };
    const cancellations = a.cancellations;
    const started = Date.now();
    await expect(registry.callTool('search_pages', { query: 'x' })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(records[0]?.outcome).toBe('timeout');
    // The server is told the call was given up, so it can stop its work.
    for (let i = 0; i < 50 && a.cancellations === cancellations; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(a.cancellations).toBe(cancellations + 1);
  });

  it('opens the breaker after repeated failures, fails fast, and closes it after a success', async () => {
    const records: ToolCallRecord[] = [];
    const { registry, ready } = connect(
      [service('docs', a.url, { timeout_ms: 150, retry_attempts: 0 })],
      records,
      { breakerThreshold: 2, halfOpenAfterMs: 400 },
    );
    await ready;
    a.mode = { kind: 'hang' };
    for (let i = 0; i < 2; i++)
      await expect(registry.callTool('search_pages', { query: 'x' })).rejects.toThrow();
    expect(registry.status()[0]?.breaker).toBe('open');
    const started = Date.now();
    await expect(registry.callTool('search_pages', { query: 'x' })).rejects.toThrow(/circuit open/);
    expect(Date.now() - started).toBeLessThan(100);
    expect(records.at(-1)?.outcome).toBe('circuit_open');
    a.mode = { kind: 'ok' };
    await new Promise((resolve) => setTimeout(resolve, 450));
    await registry.callTool('search_pages', { query: 'x' });
    expect(registry.status()[0]?.breaker).toBe('closed');
  });

  it('keeps at most max_concurrency calls in flight at a service', async () => {
    // `b` never hangs in these tests: nothing else is in flight there.
    const { registry, ready } = connect([service('docs', b.url, { max_concurrency: 2, timeout_ms: 5_000 })]);
    await ready;
    b.mode = { kind: 'delay', ms: 100 };
    b.maxInFlight = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) => registry.callTool('search_pages', { query: `q${i}` })),
    );
    expect(b.maxInFlight).toBe(2);
  });

  it('reports a service it cannot reach, and connects when it comes up', async () => {
    const late = new FlakySource();
    await late.start();
    const url = late.url;
    await late.kill();
    const { registry, ready } = connect([service('late', url)]);
    await ready;
    expect(registry.status()[0]).toMatchObject({ service: 'late', state: 'reconnecting' });
    expect(registry.knowledgeSources()[0]?.isAvailable()).toBe(false);
    await late.start();
    for (let i = 0; i < 100 && registry.status()[0]?.state !== 'connected'; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(registry.status()[0]?.state).toBe('connected');
    await late.kill();
  });
});
