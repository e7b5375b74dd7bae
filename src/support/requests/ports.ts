import type { ChannelKind } from '../types.js';
import type {
  ChannelSettings,
  RequestEvent,
  RequestEventKind,
  RequestStatus,
  RequestVia,
  SupportRequest,
} from './types.js';

/** A request about to be stored, from the first message of a thread. */
export interface NewRequest {
  teamId: string;
  channelId: string;
  rootTs: string;
  askerId: string;
  channelKind: ChannelKind;
  text: string;
  slaDueAt: Date;
  createdAt: Date;
}

/** A change of status asked of the store: applied only when the request is in one of `from`. */
export interface StatusChange {
  from: readonly RequestStatus[];
  to: RequestStatus;
  actorId?: string;
  via: RequestVia;
  kind: RequestEventKind;
  at: Date;
  /** Columns set with the change: the owner (null releases it), who resolved it. */
  takenBy?: string | null;
  resolvedBy?: string | null;
  /** Only when the request has no owner yet (a take): one owner, whatever the race. */
  onlyIfUntaken?: boolean;
  /** Only when this user owns it (releasing a take by removing 👀). */
  onlyIfTakenBy?: string;
  /** Only when this user resolved it (undoing ✅ by removing it). */
  onlyIfResolvedBy?: string;
}

/**
 * The `requests` and `request_events` tables; implemented in src/db/repositories/request-store.ts.
 * Every write that can race (two replicas, two clicks) is one conditional SQL statement.
 */
export interface RequestStore {
  /** Stores the request unless its thread has one already: `created` says which happened. */
  open(request: NewRequest): Promise<{ request: SupportRequest; created: boolean }>;
  findById(id: number): Promise<SupportRequest | undefined>;
  /** The request a message belongs to: `ts` is its root message or the bot's reply in it. */
  findByMessage(teamId: string, channelId: string, ts: string): Promise<SupportRequest | undefined>;
  findByThread(teamId: string, channelId: string, rootTs: string): Promise<SupportRequest | undefined>;
  findByQuestion(questionId: string): Promise<SupportRequest | undefined>;
  /** Links the bot's reply and the question row it answered. */
  setReply(id: number, reply: { replyTs?: string; questionId?: string }): Promise<void>;
  /** Applies the change if its conditions hold, with its event, atomically: the request after it, or undefined. */
  changeStatus(id: number, change: StatusChange): Promise<SupportRequest | undefined>;
  /** Records the first human response if there is none yet: the request when this call recorded it. */
  recordFirstResponse(id: number, userId: string, at: Date): Promise<SupportRequest | undefined>;
  /** Stores an event that changes no column (a follow-up, a request for a human). */
  addEvent(event: RequestEvent): Promise<void>;
  events(id: number): Promise<RequestEvent[]>;
  /**
   * Marks up to `limit` requests due by `now`, with no first response, not resolved and not yet
   * breached, as breached at `now`, and returns them: each one claimed by exactly one caller.
   */
  claimBreaches(now: Date, limit: number): Promise<SupportRequest[]>;
  /** Undoes a breach claim whose alert could not be posted, so a later scan tries again. */
  releaseBreach(id: number, claimedAt: Date): Promise<void>;
  /** Remembers where the breach alert was posted. */
  setAlert(id: number, alert: { channelId: string; ts?: string }): Promise<void>;
}

/**
 * Per-channel settings. Backed by environment defaults (SUPPORT_CHANNELS, FIRST_RESPONSE_SLA_MINUTES,
 * ALERT_CHANNEL) until the `channel_settings` table and its `/support settings` modal back it.
 */
export interface ChannelSettingsSource {
  /** The channel's settings, or undefined when it is not a support channel. */
  settingsFor(channelId: string): Promise<ChannelSettings | undefined>;
}

/** Members of a Slack user group (usergroups.users.list), for responders named by group. */
export interface GroupMembers {
  membersOf(usergroupId: string): Promise<readonly string[]>;
}

/** What a request looks like to the people around it: its thread card, its breach alert, its pings. */
export interface RequestNotifier {
  /** Redraws the status and owner on the bot's thread card. */
  statusChanged(request: SupportRequest): Promise<void>;
  /** Posts the breach alert in the alert channel; returns its ts. */
  breached(request: SupportRequest, alertChannel: string): Promise<{ ts?: string }>;
  /** Asks the responders in the thread to step in (the asker clicked "I need a human"). */
  humanRequested(request: SupportRequest, settings: ChannelSettings): Promise<void>;
}
