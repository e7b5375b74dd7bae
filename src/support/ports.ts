import type { Answer, FeedbackKind, KnowledgeHit, Question } from './types.js';

/** A place deskhand searches: the kb folder, Notion, past HelpScout conversations. */
export interface KnowledgeSource {
  /** Stable name (the MCP service name), stored in `lookups.source`. */
  readonly name: string;
  /** Shown to people: "Knowledge base", "Notion". */
  readonly label: string;
  /** Whether the source can be reached now; an unavailable source is reported, not searched. */
  isAvailable(): boolean;
  search(
    query: string,
    options: { limit: number; signal: AbortSignal; questionId?: string },
  ): Promise<KnowledgeHit[]>;
}

/** What the workflow stores; implemented with drizzle in src/db/repositories. */
export interface SupportStore {
  saveQuestion(question: Question): Promise<void>;
  saveAnswer(answer: Answer): Promise<void>;
  /** Marks a question whose lookup failed as a whole (it is never left without an outcome). */
  markFailed(questionId: string): Promise<void>;
  findQuestion(questionId: string): Promise<Question | undefined>;
  /** The answer as it was given (question, hits shown, what each source did), to draw later cards. */
  findAnswer(questionId: string): Promise<Answer | undefined>;
  /** Stores a click; returns false when the same person already clicked the same button. */
  saveFeedback(questionId: string, userId: string, kind: FeedbackKind): Promise<boolean>;
  /** Remembers where the answer card was posted so it can be updated later. */
  saveCardLocation(
    questionId: string,
    location: { channelId?: string; ts?: string; responseUrl?: string },
  ): Promise<void>;
  /**
   * Stores the question unless its asker already asked `limit` or more since `since`: the rate
   * limit's count and the insert in one round trip. Says whether it was stored, with the count it
   * was judged on and the oldest question counted.
   * A user id is one person only within a workspace: with a `teamId`, only that workspace counts.
   */
  saveQuestionWithinLimit(
    question: Question,
    since: Date,
    limit: number,
  ): Promise<{ stored: boolean; count: number; oldest?: Date }>;
}

/** Answers "has this delivery been handled already?" across replicas. */
export interface DeliveryLedger {
  /** Returns true the first time a key is seen, false for every later delivery of it. */
  claim(key: string, kind: string, retryNum: number): Promise<boolean>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketType = 'email' | 'chat' | 'phone';

/** What deskhand asks a ticket desk to create. */
export interface TicketRequest {
  /** The same key always means the same ticket: a desk that supports it must not create two. */
  idempotencyKey: string;
  subject: string;
  message: string;
  customerEmail?: string;
  priority: TicketPriority;
  type: TicketType;
}

export interface CreatedTicket {
  externalId: string;
  number?: string;
  url?: string;
}

/** How asking a language-model endpoint (chat or embeddings) failed. */
export type ModelFailureKind = 'http' | 'rate_limited' | 'malformed' | 'network';

/** A model endpoint could not be asked, or answered in a shape that is not what was asked for. */
export class ModelEndpointError extends Error {
  constructor(
    message: string,
    readonly kind: ModelFailureKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ModelEndpointError';
  }
}

/** Raised by a ticket desk; `retryable` says whether trying again later can succeed (down, rate-limited). */
export class TicketDeskError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TicketDeskError';
  }
}

/** Where tickets are filed: HelpScout through MCP, or nothing (tickets stay local). */
export interface TicketDesk {
  readonly name: string;
  readonly label: string;
  isAvailable(): boolean;
  createTicket(request: TicketRequest, options: { signal: AbortSignal }): Promise<CreatedTicket>;
}
