import type { Logger } from 'pino';
import type { Digest } from '../digest/index.js';
import type { WorkTracker } from '../runtime/work-tracker.js';
import type { AlertService } from '../support/alerts/index.js';
import type { AppHomeService } from '../support/app-home/index.js';
import type { ChannelSettingsService } from '../support/channel-settings/index.js';
import type { DeliveryLedger } from '../support/ports.js';
import type { RequestService } from '../support/requests/index.js';
import type { SupportService } from '../support/support-service.js';
import type { TicketSyncService } from '../support/ticket-sync/index.js';
import type { TicketService } from '../support/tickets/index.js';

/** Finds the question a Slack thread started with, so a mention in that thread is a follow-up on it. */
export interface ThreadQuestions {
  findThreadStart(channelId: string, threadTs: string): Promise<{ id: string; text: string } | undefined>;
}

/** What Slack listeners need from the rest of deskhand; built once by the composition root. */
export interface SlackDeps {
  support: SupportService;
  deliveries: DeliveryLedger;
  /** Urgent-case alerts; absent when ALERT_CHANNEL is not set. */
  alerts?: AlertService;
  /** Files automatic tickets (no good answer, urgent); absent until tickets are wired in. */
  tickets?: TicketService;
  /** For follow-ups in a mention's thread; without it every mention is a new question. */
  threads?: ThreadQuestions;
  /** The digest of a period (`7d`) for `/support digest`; private text included, since only the asker sees it. */
  digest?: (since: string) => Promise<Digest>;
  /** What each person's Home tab shows. */
  appHome?: AppHomeService;
  /** Keeps tickets filed from a thread in step with it; absent without a ticket desk. */
  ticketSync?: TicketSyncService;
  /** Per-channel settings of support channels, for `/support settings`. */
  channelSettings?: ChannelSettingsService;
  /** Support-channel requests; absent when no support channel is configured. */
  requests?: RequestService;
  work: WorkTracker;
  logger: Logger;
  settings: {
    /** Whether a ticket desk is configured; without one, tickets are stored locally. */
    ticketsEnabled: boolean;
    /** Slack user ids allowed admin commands; empty means everyone. */
    supportAdmins: readonly string[];
    alertChannel?: string;
  };
}

/** Whether a user may run admin commands (`/support digest`). */
export function isAdmin(deps: SlackDeps, userId: string): boolean {
  return deps.settings.supportAdmins.length === 0 || deps.settings.supportAdmins.includes(userId);
}
