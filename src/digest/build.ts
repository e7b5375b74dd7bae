import type { Database } from '../db/client.js';
import { type Period, parsePeriod } from './period.js';
import { channelFigures, knowledgeGaps, periodFigures, sourceFigures } from './queries.js';
import {
  knowledgeGapsWithRollups,
  periodFiguresWithRollups,
  type RollupScope,
  sourceFiguresWithRollups,
} from './rollup-queries.js';
import { daysTouching, ensureRollups, type RollupReport } from './rollups.js';
import type { Digest } from './types.js';

export interface DigestOptions {
  /** `7d`, `30d`, … or a ready period. */
  since: string | Period;
  now?: Date;
  /** False for a digest posted to a channel: text asked privately never appears. */
  includePrivateText: boolean;
  /** Only this workspace's questions, tickets, alerts and lookups (multi-workspace install). */
  teamId?: string;
  /**
   * Read the days that ended at least a day ago from the daily rollups, computing those missing
   * or marked dirty first (the default); false computes every figure live from the rows, as the
   * digest did before rollups (the benchmark's baseline). The digest is the same either way.
   */
  rollups?: boolean;
  /** Told which days were read from rollups and which were computed for this digest (tests, benchmarks). */
  onRollups?: (report: RollupReport) => void;
}

/** The digest of a period, with the previous period of the same length for the changes. */
export async function buildDigest(database: Database, options: DigestOptions): Promise<Digest> {
  const period = typeof options.since === 'string' ? parsePeriod(options.since, options.now) : options.since;
  const { teamId } = options;
  if (options.rollups === false) {
    const [current, previous, gaps, sources, channels] = await Promise.all([
      periodFigures(database, period.from, period.to, teamId),
      periodFigures(database, period.previousFrom, period.from, teamId),
      knowledgeGaps(database, period.from, period.to, options.includePrivateText, 10, teamId),
      sourceFigures(database, period.from, period.to, teamId),
      channelFigures(database, period.from, period.to, teamId),
    ]);
    return { period, current, previous, gaps, sources, channels };
  }
  const report = await ensureRollups(database, daysTouching(period.previousFrom, period.to));
  options.onRollups?.(report);
  const scope: RollupScope = { rolled: report.usable, teamId };
  const [current, previous, gaps, sources, channels] = await Promise.all([
    periodFiguresWithRollups(database, period.from, period.to, scope),
    periodFiguresWithRollups(database, period.previousFrom, period.from, scope),
    knowledgeGapsWithRollups(database, period.from, period.to, options.includePrivateText, 10, scope),
    sourceFiguresWithRollups(database, period.from, period.to, scope),
    channelFigures(database, period.from, period.to, teamId),
  ]);
  return { period, current, previous, gaps, sources, channels };
}
