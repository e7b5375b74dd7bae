import { DrizzleTicketStore } from '../db/repositories/ticket-store.js';
import { helpscoutWebhookRoute } from '../http/helpscout-webhook.js';
import type { SlackClients } from '../slack/clients.js';
import { SlackTicketNotifier } from '../slack/ticket-notifier.js';
import { TicketService } from '../support/tickets/index.js';
import type { Http } from './http.js';
import type { Knowledge } from './knowledge.js';
import type { Root } from './root.js';
import type { Storage } from './storage.js';
import type { TicketSync } from './ticket-sync.js';

/** Tickets filed at whichever MCP service is the ticket desk, once one has connected. */
export function buildTickets(root: Root, parts: { storage: Storage; knowledge: Knowledge }): TicketService {
  const { registry } = parts.knowledge;
  return new TicketService({
    store: new DrizzleTicketStore(parts.storage.database.db, parts.storage.writeBuffer),
    desk: () => registry.ticketDesk(),
    awaitingDesk: () => registry.ticketDeskMayConnect(),
    logger: root.logger,
  });
}

export interface TicketCardsParts {
  http: Http;
  knowledge: Knowledge;
  tickets: TicketService;
  slackClients: SlackClients;
  ticketSync: TicketSync | undefined;
}

/**
 * The asker's ticket card follows the ticket: filed by the outbox, then updated by HelpScout's
 * webhooks. Adds the webhook's route; returns the notifier the outbox files through.
 */
export function buildTicketCards(root: Root, parts: TicketCardsParts): SlackTicketNotifier {
  const { config, logger } = root;
  const { tickets } = parts;
  const { support } = parts.knowledge;
  const notifier = new SlackTicketNotifier({
    client: (teamId) => parts.slackClients.clientFor(teamId),
    deskLabel: () => tickets.deskLabel,
    findAnswer: (questionId) => support.findAnswer(questionId),
    rememberCard: (ticketId, location) => tickets.rememberCard(ticketId, location),
    logger,
  });
  parts.http.server.addRoutes(
    helpscoutWebhookRoute({
      secret: config.helpscout.webhookSecret,
      tickets,
      notifier,
      threadSync: parts.ticketSync?.sync,
      logger,
      maxBodyBytes: config.maxBodyBytes,
    }),
  );
  return notifier;
}
