/** How a question reached deskhand (`channel`: a message in a support channel; `mcp`: an AI agent through POST /mcp). */
export type EntryPoint = 'slash' | 'shortcut' | 'mention' | 'dm' | 'cli' | 'mcp' | 'channel';
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

/** A stretch of a source's text a reply can quote: a kb section, a Notion page's blocks, a HelpScout reply. */
export interface Passage {
  /** The section heading, when the passage is one section of a longer text. */
  heading?: string;
  /** Plain text, one paragraph or list item a line; numbered steps start with "1. ". */
  text: string;
}

/** One result a knowledge source found. */
export interface KnowledgeHit {
  /** Name of the source that found it (the MCP service name). */
  source: string;
  title: string;
  snippet: string;
  url?: string;
  /** The source's own id for it (the kb's file path, Notion's page id, HelpScout's conversation id). */
  path?: string;
  /** The source's own score; only comparable within one source. */
  score: number;
  /** The text the reply is taken from; without it only the snippet can be quoted. */
  passages?: Passage[];
}

/** A hit after merging all sources, with a relevance comparable across sources (0..1). */
export interface RankedHit extends KnowledgeHit {
  relevance: number;
  /** The share of the question's subject (weighted) that the hit's best passage covers (0..1). */
  coverage?: number;
  /** Index in `passages` of the passage that covers the question best. */
  bestPassage?: number;
  /** Cosine similarity of the question and the hit's best passage (0..1), when embeddings reranked it. */
  similarity?: number;
  /**
   * The share of the question's subject (weighted) that the hit's title names together with one
   * of its section headings or list-item leads (0..1).
   */
  headed?: number;
  /** The question's subject terms the hit holds (anywhere in its title or passages, typos forgiven). */
  matched?: string[];
  /** The question's subject terms the hit does not hold. */
  missing?: string[];
}

/** A source a reply cites, numbered as in the reply's `[n]`. */
export interface Citation {
  n: number;
  title: string;
  url?: string;
  /** The source's name (the MCP service name). */
  source: string;
}

/** One sentence or step of a reply, with the citations that support it. */
export interface ReplyPart {
  kind: 'sentence' | 'step';
  text: string;
  cites: number[];
}

/** The written answer at the top of a card: sentences or steps, each citing its sources. */
export interface Reply {
  /** The reply as plain text with `[n]` after each sentence or step. */
  text: string;
  method: 'extractive' | 'llm';
  parts: ReplyPart[];
  citations: Citation[];
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
  /** The sources the reply cites, in the order of their `[n]`; empty when nothing was found. */
  hits: RankedHit[];
  /** At most two near misses shown under "Might also help". */
  related?: RankedHit[];
  lookups: SourceLookup[];
  /** Whether a good answer was found; if not, the card says so and offers a ticket. */
  found: boolean;
  /** The written reply; absent when nothing was found. */
  reply?: Reply;
  tookMs: number;
}

export type FeedbackKind = 'solved' | 'not_helpful';
