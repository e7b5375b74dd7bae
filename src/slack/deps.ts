import type { Logger } from 'pino';
import type { Digest } from '../digest/index.js';
import type { WorkTracker } from '../runtime/work-tracker.js';
import type { AlertService } from '../support/alerts/index.js';
import type { DeliveryLedger } from '../support/ports.js';
import type { SupportService } from '../support/support-service.js';
import type { TicketService } from '../support/tickets/index.js';

/** Finds the question a Slack thread started with, so a mention in that thread is a follow-up on it. */
export interface ThreadQuestions {
  /** Only among the questions of `teamId` when given: channel ids and timestamps are not unique across workspaces. */
  findThreadStart(
    channelId: string,
    threadTs: string,
    teamId?: string,
  ): Promise<{ id: string; text: string } | undefined>;
}

/** The workspaces deskhand is installed in (multi-workspace install only). */
export interface Installations {
  /** Forgets a workspace's (or an org's) installation and its tokens; true when there was one. */
  remove(key: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean }): Promise<boolean>;
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
  digest?: (since: string, teamId?: string) => Promise<Digest>;
  /** Set with OAuth install: removed on app_uninstalled and tokens_revoked. */
  installations?: Installations;
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
