import type { Period } from './period.js';

/** The figures of one period, every one computed by SQL. */
export interface PeriodFigures {
  questions: number;
  byEntryPoint: Record<string, number>;
  byCategory: Record<string, number>;
  busiestDay?: { day: string; questions: number };
  /** Questions marked Solved that got no ticket. */
  deflected: number;
  deflectionRate: number;
  notHelpful: number;
  notHelpfulRate: number;
  tickets: {
    total: number;
    byPriority: Record<string, number>;
    byReason: Record<string, number>;
    pending: number;
    failed: number;
  };
  answerMs: { p50?: number; p90?: number };
  alerts: { total: number; medianMinutesToTake?: number; neverTaken: number };
}

export interface KnowledgeGap {
  count: number;
  /** One way it was asked; undefined when every instance was asked privately and the digest is for a channel. */
  example?: string;
  askedPrivately: boolean;
}

export interface SourceFigures {
  source: string;
  calls: number;
  errorRate: number;
  p50Ms?: number;
  p95Ms?: number;
  hitsPerQuestion: number;
}

/** One support channel's requests in the period (and its oldest request still open, whenever it came). */
export interface ChannelFigures {
  channelId: string;
  requests: number;
  /** Resolved with no human ever replying: the bot's answer was enough. */
  answeredByBot: number;
  /** Median minutes from the request to its first human response, among those that got one. */
  medianFirstResponseMinutes?: number;
  slaBreaches: number;
  /** Share of the period's requests resolved by now. */
  resolvedShare: number;
  /** The oldest request still open in the channel. */
  oldestOpen?: { rootTs: string; createdAt: Date; ageMinutes: number };
}

export interface Digest {
  period: Period;
  current: PeriodFigures;
  previous: PeriodFigures;
  gaps: KnowledgeGap[];
  sources: SourceFigures[];
  /** Per support channel, busiest first. */
  channels: ChannelFigures[];
}
