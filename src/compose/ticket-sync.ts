import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { DrizzleTicketStore } from '../db/repositories/ticket-store.js';
import { DrizzleTicketThreadStore } from '../db/repositories/ticket-thread-store.js';
import type { McpRegistry } from '../mcp/index.js';
import { SlackThreadPoster } from '../slack/thread-poster.js';
import { ThreadSyncWorker, TicketSyncService } from '../support/ticket-sync/index.js';

export interface TicketSync {
  sync: TicketSyncService;
  worker: ThreadSyncWorker;
}

/**
 * The two-way sync of tickets and the Slack threads they came from, with the outbox worker that
 * retries what could not cross at once. Undefined without a ticket desk.
 */
export function buildTicketSync(options: {
  database: Database;
  registry: McpRegistry;
  client: () => WebClient | undefined;
  logger: Logger;
}): TicketSync | undefined {
  if (!options.registry.ticketDesk()) return undefined;
  const sync = new TicketSyncService({
    store: new DrizzleTicketThreadStore(options.database.db),
    tickets: new DrizzleTicketStore(options.database.db),
    desk: options.registry.ticketConversation(),
    poster: () => {
      const client = options.client();
      return client ? new SlackThreadPoster(client) : undefined;
    },
    logger: options.logger,
  });
  return { sync, worker: new ThreadSyncWorker({ sync, logger: options.logger }) };
}
