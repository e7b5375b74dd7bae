import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAsk } from './ask.js';
import { registerCreateTicket } from './create-ticket.js';
import type { DeskhandToolDeps } from './deps.js';
import { registerSupportDigest } from './support-digest.js';

/** deskhand itself as an MCP server for AI agents: ask, create_ticket, support_digest. */
export function createDeskhandServer(deps: DeskhandToolDeps): McpServer {
  const server = new McpServer(
    { name: 'deskhand', version: '0.1.0' },
    {
      instructions:
        "deskhand answers support questions from the team's knowledge (ask), files tickets with the support " +
        'desk when the knowledge does not answer (create_ticket), and reports how support went (support_digest).',
    },
  );
  registerAsk(server, deps);
  registerCreateTicket(server, deps);
  registerSupportDigest(server, deps);
  return server;
}
