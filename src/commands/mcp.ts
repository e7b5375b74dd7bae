import { parseArgs } from 'node:util';
import type { AppConfig } from '../config/env.js';
import { createLogger } from '../observability/logger.js';
import type { RunningMcpServer } from '../servers/shared/serve.js';

const USAGE = 'usage: deskhand mcp <kb|notion|helpscout> [--http --port N] [--host 127.0.0.1]';

/** `deskhand mcp <server>`: runs one of deskhand's MCP servers on stdio, or on streamable HTTP with --http. */
export async function runMcpServerCommand(args: string[], config: AppConfig): Promise<number> {
  const { positionals, values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      http: { type: 'boolean', default: false },
      port: { type: 'string' },
      host: { type: 'string' },
    },
  });
  const name = positionals[0];
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (
    !name ||
    !['kb', 'notion', 'helpscout'].includes(name) ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535
  ) {
    console.error(USAGE);
    return 2;
  }
  const transport = values.http ? 'http' : 'stdio';
  // On stdio, stdout belongs to the protocol: every log line goes to stderr.
  const logger = createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    pretty: false,
    destination: process.stderr,
  });
  const common = {
    transport,
    port,
    host: values.host,
    authToken: process.env.MCP_AUTH_TOKEN || undefined,
    signingSecret: process.env.MCP_SIGNING_SECRET || undefined,
    logger,
  } as const;

  let server: RunningMcpServer;
  if (name === 'kb') {
    const { runKbServer } = await import('../servers/kb/main.js');
    server = await runKbServer({ ...common, knowledgeDir: config.knowledgeDir });
  } else if (name === 'notion') {
    const { runNotionServer } = await import('../servers/notion/main.js');
    server = await runNotionServer({ ...common, token: config.notion.token, apiUrl: config.notion.apiUrl });
  } else {
    const { runHelpscoutServer } = await import('../servers/helpscout/main.js');
    server = await runHelpscoutServer({
      ...common,
      appId: config.helpscout.appId,
      appSecret: config.helpscout.appSecret,
      mailboxId: config.helpscout.mailboxId,
      apiUrl: config.helpscout.apiUrl,
    });
  }
  if (server.url) logger.info(`${name} MCP server listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    if (transport === 'stdio') process.stdin.once('close', stop);
  });
  await server.close();
  return 0;
}
