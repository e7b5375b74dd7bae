/** How a question reached deskhand (`channel`: a message in a support channel). */
export type EntryPoint = 'slash' | 'shortcut' | 'mention' | 'dm' | 'cli' | 'channel';
export type Urgency = 'low' | 'normal' | 'high';
/** Where a question was asked; text from anything but `public` is never shown in a channel digest. */
export type ChannelKind = 'public' | 'private' | 'im' | 'mpim' | 'unknown';

/** A question as it arrives from any adapter (Slack, CLI, playground). */
export interface QuestionInput {
  text: string;
  entryPoint: EntryPoint;
  askerId: string;
  teamId?: string;
  channelId?: string;
  channelKind?: ChannelKind;
  threadTs?: string;
  messageTs?: string;
  permalink?: string;
  /** Slack's response_url, kept so later steps can update the asker's card. */
  responseUrl?: string;
  /** `/support --urgent …`: the asker says it is urgent whatever the rules say. */
  markedUrgent?: boolean;
  parentQuestionId?: string;
}

export interface Triage {
  urgency: Urgency;
  category: string;
  /** The rule phrases that matched, to explain the urgency. */
  matched: string[];
}

export interface Question extends Omit<QuestionInput, 'text' | 'markedUrgent'> {
  id: string;
  text: string;
  /** The text was longer than the limit and was cut. */
  truncated: boolean;
  fingerprint: string;
  channelKind: ChannelKind;
  triage: Triage;
  createdAt: Date;
}

/** One result a knowledge source found. */
export interface KnowledgeHit {
  /** Name of the source that found it (the MCP service name). */
  source: string;
  title: string;
  snippet: string;
  url?: string;
  /** The source's own score; only comparable within one source. */
  score: number;
}

/** A hit after merging all sources, with a relevance comparable across sources (0..1). */
export interface RankedHit extends KnowledgeHit {
  relevance: number;
}

export type LookupStatus = 'ok' | 'error' | 'timeout' | 'unavailable';

/** What one source did for one question. */
export interface SourceLookup {
  source: string;
  label: string;
  status: LookupStatus;
  hits: KnowledgeHit[];
  latencyMs: number;
  error?: string;
}

/** The outcome of looking a question up in every source. */
export interface Answer {
  question: Question;
  /** The best hits across sources, best first. */
  hits: RankedHit[];
  lookups: SourceLookup[];
  /** Whether a good answer was found; if not, the card says so and offers a ticket. */
  found: boolean;
  tookMs: number;
}

export type FeedbackKind = 'solved' | 'not_helpful';
