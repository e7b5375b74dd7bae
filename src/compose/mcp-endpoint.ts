import type { Logger } from 'pino';
import type { AppConfig } from '../config/env.js';
import type { Database } from '../db/client.js';
import { buildDigest, type Period } from '../digest/index.js';
import { mcpAskerId, mcpEndpointRoutes } from '../http/mcp-endpoint.js';
import type { Route } from '../http/server.js';
import type { WorkTracker } from '../runtime/work-tracker.js';
import { createDeskhandServer } from '../servers/deskhand/server.js';
import type { SupportService } from '../support/support-service.js';
import type { TicketService } from '../support/tickets/index.js';

export interface McpEndpointParts {
  config: AppConfig;
  database: Database;
  support: SupportService;
  tickets: TicketService;
  work: WorkTracker;
  logger: Logger;
}

/** deskhand's own MCP endpoint `POST /mcp` when DESKHAND_MCP_TOKEN is set; no routes (so 404) otherwise. */
export function buildMcpEndpoint(parts: McpEndpointParts): Route[] {
  const { config, database, logger } = parts;
  const token = config.mcpToken;
  if (!token) return [];
  const deps = {
    support: parts.support,
    tickets: parts.tickets,
    // An agent's user may not be able to read a private channel: nothing asked privately is shown.
    digest: (period: Period) => buildDigest(database, { since: period, includePrivateText: false }),
    askerId: mcpAskerId(token),
    work: parts.work,
    logger: logger.child({ mcpServer: 'deskhand' }),
  };
  logger.info('deskhand MCP endpoint enabled at POST /mcp');
  return mcpEndpointRoutes({
    token,
    createServer: () => createDeskhandServer(deps),
    logger,
    maxBodyBytes: config.maxBodyBytes,
  });
}
