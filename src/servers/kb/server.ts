import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '../../observability/logger.js';
import { KnowledgeBase } from './knowledge-index.js';
import { registerSearchPages } from './search-pages.js';

export const KB_SERVER_NAME = 'deskhand-kb';
export const KB_SERVER_VERSION = '0.1.0';

export interface KbServerOptions {
  knowledgeDir: string;
  logger?: Logger;
  /**
   * The index to search. Pass one shared instance when creating a server per HTTP session, so the
   * folder is indexed once; by default each server gets its own over `knowledgeDir`.
   */
  knowledgeBase?: KnowledgeBase;
}

/** Returns an MCP server offering `search_pages` over the markdown articles of `knowledgeDir`. */
export function createKbServer(options: KbServerOptions): McpServer {
  const knowledgeBase =
    options.knowledgeBase ??
    new KnowledgeBase({ knowledgeDir: options.knowledgeDir, logger: options.logger });
  const server = new McpServer(
    { name: KB_SERVER_NAME, version: KB_SERVER_VERSION },
    {
      instructions:
        "deskhand's built-in knowledge base: help articles kept as markdown files. " +
        'Call search_pages with the user question to find the relevant articles.',
    },
  );
  registerSearchPages(server, knowledgeBase, options.logger);
  return server;
}
