import type { Logger } from '../../observability/logger.js';
import { type RunningMcpServer, serveMcp } from '../shared/serve.js';
import { KnowledgeBase } from './knowledge-index.js';
import { createKbServer } from './server.js';

export interface RunKbServerOptions {
  transport: 'stdio' | 'http';
  /** HTTP port; 0 or unset picks a free one. */
  port?: number;
  /** HTTP interface; 127.0.0.1 by default. */
  host?: string;
  knowledgeDir: string;
  authToken?: string;
  signingSecret?: string;
  logger: Logger;
}

/**
 * Runs the knowledge base MCP server on stdio or streamable HTTP until `close()` is called.
 * Every HTTP session shares one index of the folder.
 */
export async function runKbServer(options: RunKbServerOptions): Promise<RunningMcpServer> {
  const logger = options.logger;
  const knowledgeBase = new KnowledgeBase({ knowledgeDir: options.knowledgeDir, logger });
  // Indexed once a client has finished the handshake, so building it does not delay the answer to
  // `initialize`; a missing folder still shows in the log then, and the first search waits for it.
  let indexStarted = false;
  const indexOnce = () => {
    if (indexStarted) return;
    indexStarted = true;
    void knowledgeBase.index().catch((error: unknown) => {
      logger.warn({ err: error, knowledgeDir: knowledgeBase.knowledgeDir }, (error as Error).message);
    });
  };
  const createServer = () => {
    const server = createKbServer({ knowledgeDir: options.knowledgeDir, logger, knowledgeBase });
    server.server.oninitialized = indexOnce;
    return server;
  };
  return serveMcp(createServer, {
    transport: options.transport,
    port: options.port,
    host: options.host,
    authToken: options.authToken,
    signingSecret: options.signingSecret,
    logger,
    name: 'kb',
  });
}
