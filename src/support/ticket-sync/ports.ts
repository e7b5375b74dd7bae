import type { AdditionDirection, AdditionKind, ThreadAddition, TicketThreadLink } from './types.js';

/** An addition about to be queued. */
export interface NewThreadAddition {
  teamId: string;
  idempotencyKey: string;
  ticketId: number;
  direction: AdditionDirection;
  kind: AdditionKind;
  channelId: string;
  threadTs: string;
  slackTs?: string;
  externalThreadId?: string;
  authorId?: string;
  authorName?: string;
  text: string;
  /** 1 when the caller tries it at once (the insert is its claim), else 0. */
  attempts: number;
  nextAttemptAt: Date;
}

/** Which attempt an outcome belongs to (only the latest claim may record one). */
export interface AdditionAttempt {
  id: number;
  attempts: number;
}

/** `ticket_threads` and the `thread_additions` outbox; implemented with drizzle in src/db/repositories. */
export interface TicketThreadStore {
  /** Links a ticket to its thread; linking it again keeps the first link. */
  link(link: TicketThreadLink): Promise<TicketThreadLink>;
  /** The newest ticket filed from this thread, if any. */
  findByThread(channelId: string, threadTs: string): Promise<TicketThreadLink | undefined>;
  findByTicket(ticketId: number): Promise<TicketThreadLink | undefined>;
  /** Queues the addition unless one with its key exists: `inserted` says which happened. */
  enqueue(addition: NewThreadAddition): Promise<{ addition: ThreadAddition; inserted: boolean }>;
  /** Claims up to `limit` pending additions due by `now` for `leaseMs`, skipping those another process holds. */
  claimDue(limit: number, now: Date, leaseMs: number): Promise<ThreadAddition[]>;
  markSent(
    attempt: AdditionAttempt,
    result: { slackTs?: string; externalThreadId?: string },
    now: Date,
  ): Promise<ThreadAddition | undefined>;
  scheduleRetry(
    attempt: AdditionAttempt,
    error: string,
    nextAttemptAt: Date,
  ): Promise<ThreadAddition | undefined>;
  markFailed(attempt: AdditionAttempt, reason: string): Promise<ThreadAddition | undefined>;
  /** Whether deskhand itself posted this Slack message (an agent's reply it relayed). */
  postedBySync(channelId: string, ts: string): Promise<boolean>;
  /** Whether deskhand itself created this desk thread (a Slack reply it relayed). */
  createdBySync(ticketId: number, externalThreadId: string): Promise<boolean>;
}

/** Adds text to a ticket at the desk: HelpScout's `add_to_conversation` through MCP. */
export interface TicketConversation {
  readonly label: string;
  isAvailable(): boolean;
  addToTicket(
    externalId: string,
    text: string,
    as: 'customer' | 'note',
    options: { signal: AbortSignal },
  ): Promise<{ threadId?: string }>;
}

/** Posts an agent's reply in a Slack thread as deskhand, named as the agent's. */
export interface ThreadPoster {
  postAgentReply(
    channelId: string,
    threadTs: string,
    reply: { agentName: string; deskLabel: string; text: string },
  ): Promise<{ ts?: string }>;
}
