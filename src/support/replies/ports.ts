import { ModelEndpointError } from '../ports.js';
import type { ChannelKind, EntryPoint, Reply } from '../types.js';

/** One message of a chat with a language model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** An OpenAI-compatible `/chat/completions` endpoint, as the reply writer needs it. */
export interface ChatModel {
  /** The model's name, stored with each audit row. */
  readonly model: string;
  /** The model's answer text; throws {@link ChatModelError} (or an abort) on failure. */
  complete(messages: ChatMessage[], options: { signal: AbortSignal }): Promise<string>;
}

/** The model could not be asked, or answered with something that is not a chat completion. */
export class ChatModelError extends ModelEndpointError {
  override name = 'ChatModelError';
}

/** How a model-written reply turned out; anything but `used` means the extractive reply was shown. */
export type LlmOutcome =
  | 'used'
  | 'uncited'
  | 'unknown_citation'
  | 'unsupported'
  | 'deadline'
  | 'error'
  | 'malformed'
  | 'private'
  | 'not_found';

/** What is kept of every reply for audit: the passages given, and for a model the prompt and its text. */
export interface ReplyAudit {
  questionId: string;
  teamId?: string;
  reply?: Reply;
  method: Reply['method'] | 'none';
  /** The numbered passages the reply could cite. */
  passages: Array<{ n: number; title: string; source: string; url?: string; text: string }>;
  model?: string;
  prompt?: ChatMessage[];
  modelText?: string;
  llmOutcome?: LlmOutcome;
  error?: string;
  /** Time the reply step took, model included. */
  tookMs: number;
}

/** Stores the audit of each reply; implemented with drizzle in src/db/repositories. */
export interface ReplyAuditLog {
  /** Resolves once the row is stored (or given up). */
  record(audit: ReplyAudit): Promise<void>;
  /** Stores what is pending and stops waiting for the rest. */
  close?(): Promise<void>;
}

/** Where a question was asked, to decide whether its text may leave for a model. */
export interface ReplyContext {
  questionId: string;
  teamId?: string;
  channelKind: ChannelKind;
  entryPoint: EntryPoint;
}
