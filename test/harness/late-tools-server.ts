// An MCP server over stdio that offers only `status` at first, and adds the knowledge base's own
// `search_pages` once the file named by TOOLS_READY_FILE exists; the SDK then sends
// notifications/tools/list_changed, as a server whose tools change does.
// `node bin/run-ts.js test/harness/late-tools-server.ts` (KNOWLEDGE_DIR, TOOLS_READY_FILE).
import { existsSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { KnowledgeBase } from '../../src/servers/kb/knowledge-index.js';
import { registerSearchPages } from '../../src/servers/kb/search-pages.js';

const readyFile = process.env.TOOLS_READY_FILE ?? '';
const server = new McpServer({ name: 'late-tools', version: '1.0.0' });
server.registerTool('status', { description: 'Whether the server is up' }, async () => ({
  content: [{ type: 'text', text: 'up' }],
}));
await server.connect(new StdioServerTransport());

const poll = setInterval(() => {
  if (!existsSync(readyFile)) return;
  clearInterval(poll);
  registerSearchPages(server, new KnowledgeBase({ knowledgeDir: process.env.KNOWLEDGE_DIR ?? 'knowledge' }));
}, 50);
