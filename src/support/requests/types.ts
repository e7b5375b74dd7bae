import type { ChannelKind } from '../types.js';

/** Where a request stands (stored as text in `requests.status`). */
export type RequestStatus = 'open' | 'in_progress' | 'resolved' | 'reopened';

/** What changed a request: a button, an emoji, a reply in the thread, a new message, the SLA scan… */
export type RequestVia = 'button' | 'reaction' | 'reply' | 'message' | 'sla' | 'helpscout';

export type RequestEventKind =
  | 'created'
  | 'taken'
  | 'released'
  | 'resolved'
  | 'reopened'
  | 'first_response'
  | 'follow_up'
  | 'human_requested'
  | 'breached';

/** One support-channel thread, as stored in `requests`. */
export interface SupportRequest {
  id: number;
  teamId: string;
  channelId: string;
  /** The root message's ts, as Slack writes it. */
  rootTs: string;
  askerId: string;
  channelKind: ChannelKind;
  text: string;
  status: RequestStatus;
  takenBy?: string;
  takenAt?: Date;
  firstResponseAt?: Date;
  firstResponseBy?: string;
  resolvedAt?: Date;
  resolvedBy?: string;
  slaDueAt: Date;
  breachedAt?: Date;
  alertChannelId?: string;
  alertTs?: string;
  /** The bot's threaded answer (the card updated in place). */
  replyTs?: string;
  questionId?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** One stored change to a request (`request_events`). */
export interface RequestEvent {
  requestId: number;
  at: Date;
  /** Who did it; undefined for deskhand itself. */
  actorId?: string;
  kind: RequestEventKind;
  via?: RequestVia;
  fromStatus?: RequestStatus;
  toStatus?: RequestStatus;
  detail?: Record<string, unknown>;
}

/** A support channel's settings, whatever stores them (env defaults now, `channel_settings` later). */
export interface ChannelSettings {
  channelId: string;
  /** Answer every new request in its thread with the answer card. */
  autoAnswer: boolean;
  /** Minutes until a request with no human reply breaches its first-response SLA. */
  slaMinutes: number;
  /** Where breaches (and urgent cases) of this channel are alerted; none: breaches are only stored. */
  alertChannel?: string;
  /** Slack user ids who take requests. Empty with no usergroup: the support admins are responders. */
  responders: readonly string[];
  /** A Slack user group whose members are responders too (its id, `S…`). */
  usergroup?: string;
  /** Answer only messages that look like questions (a request is made either way). */
  questionsOnly: boolean;
  /** Knowledge sources to search (service names); undefined: all of them. */
  sources?: readonly string[];
}
