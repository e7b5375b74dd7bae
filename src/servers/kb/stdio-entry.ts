// Runs the kb MCP server as its own process: `node bin/run-ts.js src/servers/kb/stdio-entry.ts`.
// Like src/main.ts, this is a composition root, so it is allowed to read the environment:
//   KNOWLEDGE_DIR (default ./knowledge), LOG_LEVEL (default info),
//   MCP_TRANSPORT=http with MCP_PORT, MCP_HOST, MCP_AUTH_TOKEN, MCP_SIGNING_SECRET for streamable HTTP.
// Logs go to stderr: on stdio, stdout carries the protocol.
import pino from 'pino';
import { createLogger } from '../../observability/logger.js';
import { runKbServer } from './main.js';

const env = process.env;
const transport = env.MCP_TRANSPORT === 'http' ? 'http' : 'stdio';
const authToken = env.MCP_AUTH_TOKEN || undefined;
const signingSecret = env.MCP_SIGNING_SECRET || undefined;
const logger = createLogger({
  level: env.LOG_LEVEL || 'info',
  secrets: [authToken, signingSecret].filter((secret): secret is string => secret !== undefined),
  destination: pino.destination({ fd: 2, sync: true }),
});

const port = env.MCP_PORT ? Number(env.MCP_PORT) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
  logger.fatal(`MCP_PORT must be a port number (0-65535), got "${env.MCP_PORT}"`);
  process.exit(2);
}

const running = await runKbServer({
  transport,
  port,
  host: env.MCP_HOST || undefined,
  knowledgeDir: env.KNOWLEDGE_DIR || 'knowledge',
  authToken,
  signingSecret,
  logger,
});

if (transport === 'http') {
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
