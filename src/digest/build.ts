import type { Database } from '../db/client.js';
import { type Period, parsePeriod } from './period.js';
import { channelFigures, knowledgeGaps, periodFigures, sourceFigures } from './queries.js';
import type { Digest } from './types.js';

export interface DigestOptions {
  /** `7d`, `30d`, … or a ready period. */
  since: string | Period;
  now?: Date;
  /** False for a digest posted to a channel: text asked privately never appears. */
  includePrivateText: boolean;
  /** Only this workspace's questions, tickets, alerts and lookups (multi-workspace install). */
  teamId?: string;
}

/** The digest of a period, with the previous period of the same length for the changes. */
export async function buildDigest(database: Database, options: DigestOptions): Promise<Digest> {
  const period = typeof options.since === 'string' ? parsePeriod(options.since, options.now) : options.since;
  const [current, previous, gaps, sources, channels] = await Promise.all([
    periodFigures(database, period.from, period.to, options.teamId),
    periodFigures(database, period.previousFrom, period.from, options.teamId),
    knowledgeGaps(database, period.from, period.to, options.includePrivateText, 10, options.teamId),
    sourceFigures(database, period.from, period.to, options.teamId),
    channelFigures(database, period.from, period.to, options.teamId),
  ]);
  return { period, current, previous, gaps, sources, channels };
}
