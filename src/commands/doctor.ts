import { resolveServices } from '../compose/services.js';
import type { AppConfig } from '../config/env.js';
import { openConfiguredDatabase } from '../db/client.js';
import { McpRegistry } from '../mcp/index.js';
import { createLogger } from '../observability/logger.js';
import { createMetricsRegistry } from '../observability/metrics.js';
import { checkEmbeddings } from './doctor-embeddings.js';
import { checkSlack } from './doctor-slack.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const SAMPLE_QUERY = 'password';

/** `deskhand doctor`: checks configuration, Slack's tokens, database and every MCP service; prints a table; 1 on any failure. */
export async function runDoctor(_args: string[], config: AppConfig): Promise<number> {
  const logger = createLogger({
    level: 'error',
    secrets: config.secrets,
    pretty: false,
    destination: process.stderr,
  });
  const checks: Check[] = [
    {
      name: 'configuration',
      ok: true,
      detail: `Slack: ${config.slack.kind === 'playground' ? 'not configured (local playground)' : `${config.slack.kind} mode`}`,
    },
  ];
  checks.push(...(await checkSlack(config)));

  const database = await openConfiguredDatabase(config).catch((error: Error) => error);
  if (database instanceof Error) {
    checks.push({ name: 'database', ok: false, detail: `cannot open: ${database.message}` });
  } else {
    try {
      await database.migrate();
      await database.ping();
      checks.push({ name: 'database', ok: true, detail: `${database.description}, migrations applied` });
    } catch (error) {
      checks.push({ name: 'database', ok: false, detail: (error as Error).message });
    } finally {
      await database.close();
    }
  }

  if (config.embeddings) checks.push(await checkEmbeddings(config.embeddings, SAMPLE_QUERY));

  let services: ReturnType<typeof resolveServices> = [];
  try {
    services = resolveServices(config, process.env);
  } catch (error) {
    checks.push({ name: 'MCP services file', ok: false, detail: (error as Error).message });
  }
  if (services.length > 0) {
    const registry = new McpRegistry({
      services,
      logger,
      metrics: createMetricsRegistry(),
      reconnect: { initialDelayMs: 60_000 },
    });
    try {
      await registry.connectAll();
      const sources = registry.knowledgeSources();
      for (const status of registry.status()) {
        const base = `${status.transport}, ${status.tools.length} tools`;
        if (status.state !== 'connected') {
          checks.push({
            name: `mcp: ${status.service}`,
            ok: false,
            detail: `${status.state}: ${status.lastError ?? 'not connected'}`,
          });
          continue;
        }
        const source = sources.find((candidate) => candidate.name === status.service);
        if (!source) {
          const isDesk = registry.ticketDesk()?.name === status.service;
          checks.push({
            name: `mcp: ${status.service}`,
            ok: true,
            detail: `${base}${isDesk ? ', ticket desk' : ''}`,
          });
          continue;
        }
        const started = performance.now();
        try {
          const hits = await source.search(SAMPLE_QUERY, { limit: 3, signal: AbortSignal.timeout(15_000) });
          const ms = Math.round(performance.now() - started);
          checks.push({
            name: `mcp: ${status.service}`,
            ok: true,
            detail: `${base}; search "${SAMPLE_QUERY}": ${hits.length} hits in ${ms} ms`,
          });
        } catch (error) {
          checks.push({
            name: `mcp: ${status.service}`,
            ok: false,
            detail: `${base}; search failed: ${(error as Error).message}`,
          });
        }
      }
    } finally {
      await registry.close();
    }
  }

  printTable(checks);
  const failed = checks.filter((check) => !check.ok).length;
  console.log(failed === 0 ? '\nAll checks passed.' : `\n${failed} check${failed === 1 ? '' : 's'} failed.`);
  return failed === 0 ? 0 : 1;
}

function printTable(checks: Check[]): void {
  const width = Math.max(...checks.map((check) => check.name.length), 5);
  console.log(`${'check'.padEnd(width)}  status  detail`);
  console.log(`${'-'.repeat(width)}  ------  ${'-'.repeat(40)}`);
  for (const check of checks) {
    console.log(`${check.name.padEnd(width)}  ${check.ok ? 'ok    ' : 'FAIL  '}  ${check.detail}`);
  }
}
