/** A ticket filed from a Slack thread. */
export interface TicketThreadLink {
  teamId: string;
  ticketId: number;
  channelId: string;
  threadTs: string;
  /** Who started the thread: their replies reach the desk as the customer's. */
  askerId: string;
  /** The last message the ticket was filed with; later ones are added as they come. */
  afterTs: string;
}

export type AdditionDirection = 'to_desk' | 'to_slack';
/** customer or note on the way to the desk; an agent's reply on the way to Slack. */
export type AdditionKind = 'customer' | 'note' | 'reply';
export type AdditionStatus = 'pending' | 'sent' | 'failed';

/** One message crossing between a thread and its ticket, as the outbox keeps it. */
export interface ThreadAddition {
  id: number;
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
  status: AdditionStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  createdAt: Date;
  sentAt?: Date;
}

/** A reply written in a Slack thread, as the message event gives it. */
export interface SlackThreadReply {
  channelId: string;
  threadTs: string;
  ts: string;
  userId: string;
  /** The name to show on a note (the person's Slack name); their id otherwise. */
  userName?: string;
  text: string;
}

/** An agent's reply in the desk, as its webhook gives it. */
export interface DeskAgentReply {
  /** The desk's conversation id (the ticket's external id). */
  externalId: string;
  /** The desk's id of the reply thread. */
  threadId: string;
  agentName: string;
  text: string;
}
