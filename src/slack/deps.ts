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
import type { CardsShown } from './show-to-asker.js';

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
  /**
   * The digest of a period (`7d`) for `/support digest`, for one workspace. Never with text asked
   * privately: an admin may run it anywhere, and a question from someone else's DM or private
   * channel is not theirs to read. Such questions are counted as "asked privately"; only the
   * operator's CLI shows them.
   */
  digest?: (since: string, teamId?: string) => Promise<Digest>;
  /** What each person's Home tab shows. */
  appHome?: AppHomeService;
  /** Keeps tickets filed from a thread in step with it; absent without a ticket desk. */
  ticketSync?: TicketSyncService;
  /** Per-channel settings of support channels, for `/support settings`. */
  channelSettings?: ChannelSettingsService;
  /** Support-channel requests; absent when no support channel is configured. */
  requests?: RequestService;
  /** Set with OAuth install: removed on app_uninstalled and tokens_revoked. */
  installations?: Installations;
  work: WorkTracker;
  logger: Logger;
  /** Where answer and ticket cards landed, for /metrics; absent in tests that do not count. */
  cardsShown?: CardsShown;
  settings: {
    /**
     * Whether a ticket desk is connected now; without one, tickets are stored locally. Read it
     * for each card: src/compose/slack.ts makes it a getter that follows the desk as it connects or goes.
     */
    readonly ticketsEnabled: boolean;
    /** Slack user ids allowed admin commands (SUPPORT_ADMINS). */
    supportAdmins: readonly string[];
    /**
     * With no SUPPORT_ADMINS: true in the playground (one person tries everything), false in a real
     * workspace, where admin commands are then refused until SUPPORT_ADMINS names someone.
     */
    everyoneIsAdminWithoutList: boolean;
    alertChannel?: string;
  };
}

/** Whether a user may run admin commands (`/support digest`, `/support settings`). */
export function isAdmin(deps: SlackDeps, userId: string): boolean {
  const { supportAdmins, everyoneIsAdminWithoutList } = deps.settings;
  return supportAdmins.length === 0 ? everyoneIsAdminWithoutList : supportAdmins.includes(userId);
}

/** Why an admin command was refused, saying what to do about it (mrkdwn, nothing user-supplied). */
export function adminRefusal(deps: SlackDeps, what: string): string {
  if (deps.settings.supportAdmins.length === 0)
    return (
      `Sorry — ${what} is for support admins, and none are set up yet. Whoever runs deskhand can name them ` +
      'with `SUPPORT_ADMINS` (comma-separated Slack user ids, e.g. `SUPPORT_ADMINS=U012AB3CD,U045EF6GH`) and restart it.'
    );
  return `Sorry — ${what} is for the support admins. Ask one of them to share it with you.`;
}
