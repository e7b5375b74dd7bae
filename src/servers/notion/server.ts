import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { NotionClient } from './notion-client.js';
import { registerSearchPages } from './search-pages.js';

export interface NotionServerOptions {
  token?: string;
  apiUrl: string;
}

/** deskhand's Notion MCP server: `search_pages` over the Notion REST API. */
export function createNotionServer(options: NotionServerOptions): McpServer {
  const server = new McpServer({ name: 'deskhand-notion', version: '0.1.0' });
  registerSearchPages(server, new NotionClient({ token: options.token, apiUrl: options.apiUrl }));
  return server;
}
