/**
 * MCP overhead: the kb server's search_pages called through deskhand's MCP layer (timeout, retry,
 * breaker, bulkhead, metrics, a tool_calls row) and through a raw SDK Client.callTool on the same
 * server, over stdio and streamable HTTP, alternating so both see the same machine.
 * `node bin/run-ts.js bench/mcp-overhead.ts [--calls 300]`
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { McpServiceConfig } from '../src/config/mcp-services.js';
import { ToolCallLog } from '../src/db/repositories/tool-call-log.js';
import { defaultServices, McpRegistry } from '../src/mcp/index.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetricsRegistry } from '../src/observability/metrics.js';
import { selfCommand } from '../src/runtime/self-command.js';
import { runKbServer } from '../src/servers/kb/main.js';
import { benchDatabase } from './lib/apps.js';
import { formatTable, type Row, round } from './lib/stats.js';

const logger = createLogger({ level: 'silent' });

export async function runMcpOverhead(options: { calls: number }): Promise<Row[]> {
  const database = await benchDatabase();
  const toolCalls = new ToolCallLog(database.db, logger);
  const http = await runKbServer({ transport: 'http', port: 0, knowledgeDir: resolve('knowledge'), logger });
  // The kb as a services file would run it on stdio (the default runs it inside the bot: builtin).
  const [builtin] = defaultServices({ knowledgeDir: 'knowledge' });
  const kb = selfCommand(['mcp', 'kb']);
  const stdioService: McpServiceConfig = {
    ...(builtin as McpServiceConfig),
    transport: 'stdio',
    command: kb.command,
    args: kb.args,
    env: { KNOWLEDGE_DIR: resolve('knowledge'), LOG_LEVEL: 'warn' },
  };
  const httpService: McpServiceConfig = {
    ...(builtin as McpServiceConfig),
    name: 'kb',
    transport: 'http',
    url: http.url,
    args: [],
  };
  const rows: Row[] = [];
  try {
    for (const service of [stdioService, httpService]) {
      const registry = new McpRegistry({
        services: [service],
        logger,
        metrics: createMetricsRegistry(),
        recordToolCall: (call) => toolCalls.record(call),
      });
      await registry.connectAll();
      const raw = new Client({ name: 'raw', version: '1.0.0' });
      await raw.connect(
        service.transport === 'stdio'
          ? new StdioClientTransport({
              command: service.command as string,
              args: service.args,
              env: { ...process.env, ...service.env } as Record<string, string>,
              stderr: 'ignore',
            })
          : new StreamableHTTPClientTransport(new URL(service.url as string)),
      );
      const args = { query: 'reset password', limit: 5 };
      const timeLayer = async () => {
        const started = performance.now();
        await registry.callTool('search_pages', args);
        return performance.now() - started;
      };
      const timeRaw = async () => {
        const started = performance.now();
        await raw.callTool({ name: 'search_pages', arguments: args });
        return performance.now() - started;
      };
      for (let i = 0; i < 20; i++) await Promise.all([timeLayer(), timeRaw()]); // warm-up
      let layerTotal = 0;
      let rawTotal = 0;
      for (let i = 0; i < options.calls; i++) {
        // Alternate the order so neither side always runs on a warmer machine.
        if (i % 2 === 0) {
          layerTotal += await timeLayer();
          rawTotal += await timeRaw();
        } else {
          rawTotal += await timeRaw();
          layerTotal += await timeLayer();
        }
      }
      await toolCalls.flush();
      rows.push({
        benchmark: 'MCP overhead',
        case: service.transport,
        'layer ms/call': round(layerTotal / options.calls, 3),
        'raw SDK ms/call': round(rawTotal / options.calls, 3),
        'layer / raw': round(layerTotal / rawTotal, 2),
        'layer calls/s': round((options.calls * 1000) / layerTotal, 0),
        calls: options.calls,
      });
      await raw.close();
      await registry.close();
    }
  } finally {
    await toolCalls.close();
    await http.close();
    await database.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { calls: { type: 'string', default: '500' } } });
  console.log(formatTable(await runMcpOverhead({ calls: Number(values.calls) })));
  process.exit(0);
}
