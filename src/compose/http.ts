import { healthRoutes } from '../http/health.js';
import { HttpServer } from '../http/server.js';
import { createPlayground, type Playground } from '../playground/server.js';
import type { TicketService } from '../support/tickets/index.js';
import type { Knowledge } from './knowledge.js';
import { buildMcpEndpoint } from './mcp-endpoint.js';
import type { Root } from './root.js';
import type { Storage } from './storage.js';

export interface HttpParts {
  storage: Storage;
  knowledge: Knowledge;
  tickets: TicketService;
  /** Where to listen; all interfaces when undefined. */
  host: string | undefined;
}

export interface Http {
  /** Listening already; Slack's listener and the later routes are added to it as they are built. */
  server: HttpServer;
  /** Stands in for a workspace when there are no Slack credentials. */
  playground?: Playground;
  port: number;
  url: string;
}

/** The HTTP server, listening, with health, deskhand's MCP endpoint and (without Slack credentials) the playground. */
export async function buildHttp(root: Root, parts: HttpParts): Promise<Http> {
  const { config, logger, work } = root;
  const { database } = parts.storage;
  const { support } = parts.knowledge;
  const server = new HttpServer(logger, {
    maxBodyBytes: config.maxBodyBytes,
    keepAliveMs: config.httpKeepAliveMs,
  });
  server.addRoutes(...healthRoutes(database, root.metrics, root.readiness));
  server.addRoutes(...buildMcpEndpoint({ config, database, support, tickets: parts.tickets, work, logger }));
  const playground = config.slack.kind === 'playground' ? createPlayground(logger) : undefined;
  if (playground) server.addRoutes(...playground.routes);
  const port = await server.listen(config.port, parts.host);
  const url = `http://${parts.host ?? 'localhost'}:${port}`;
  playground?.attach(url);
  return { server, playground, port, url };
}
