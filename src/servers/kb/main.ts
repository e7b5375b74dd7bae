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
  // Index at start, so a missing folder shows in the log right away (searches report it too), but
  // without making the client wait for it to connect: the first search waits for this same build.
  void knowledgeBase.index().catch((error: unknown) => {
    logger.warn({ err: error, knowledgeDir: knowledgeBase.knowledgeDir }, (error as Error).message);
  });
  return serveMcp(() => createKbServer({ knowledgeDir: options.knowledgeDir, logger, knowledgeBase }), {
    transport: options.transport,
    port: options.port,
    host: options.host,
    authToken: options.authToken,
    signingSecret: options.signingSecret,
    logger,
    name: 'kb',
  });
}
