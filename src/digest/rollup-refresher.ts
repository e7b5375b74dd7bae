import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Database } from '../db/client.js';
import { parsePeriod } from './period.js';
import { daysTouching, ensureRollups, type RollupReport } from './rollups.js';

/**
 * How often the daily rollups are brought up to date: the days marked dirty by late writes since,
 * and yesterday once it may be rolled up, are recomputed then rather than by the next digest.
 * Every replica does it; a day recomputed by one is found clean by the others.
 */
const REFRESH_CRON = '*/15 * * * *';
/** The first refresh after start: soon, so a digest asked for right after an upgrade finds its days ready. */
const FIRST_REFRESH_AFTER_MS = 20_000;
/** The longest period `/support digest` offers. */
const LONGEST_ASKED_PERIOD = '30d';

export interface RollupRefresherOptions {
  database: Database;
  logger: Logger;
  firstRefreshAfterMs?: number;
}

export interface RollupRefresher {
  /** Computes the missing or dirty daily rollups a digest at `now` would read. */
  refresh(now?: Date): Promise<RollupReport>;
  /** Resolves once the scheduled refresh in progress, if any, has ended. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Keeps the daily rollups of the longest digest anyone can ask for (and its previous period) up to
 * date, whether or not a digest is scheduled: `/support digest 30d` and the scheduled post then read
 * whole days from them instead of building the missing ones first (seconds at a million questions).
 */
export function startRollupRefresher(options: RollupRefresherOptions): RollupRefresher {
  const { database, logger } = options;
  function refresh(now = new Date()): Promise<RollupReport> {
    // The scheduled digest covers 7 days: the longest period asked for covers its days too.
    const period = parsePeriod(LONGEST_ASKED_PERIOD, now);
    // One day at a time: the bot's own writes keep the other connections of the pool.
    return ensureRollups(database, daysTouching(period.previousFrom, period.to), { concurrency: 1 });
  }
  let running: Promise<void> | undefined;
  const refreshQuietly = async () => {
    running = refresh().then(
      () => {},
      (error: Error) => logger.warn({ err: error.message }, 'digest rollups could not be refreshed'),
    );
    await running;
  };
  const first = setTimeout(
    () => void refreshQuietly(),
    options.firstRefreshAfterMs ?? FIRST_REFRESH_AFTER_MS,
  );
  first.unref();
  const task: ScheduledTask = cron.schedule(REFRESH_CRON, refreshQuietly, {
    timezone: 'UTC',
    name: 'digest-rollups',
    noOverlap: true,
  });
  return {
    refresh,
    idle: async () => {
      await running;
    },
    stop() {
      clearTimeout(first);
      void task.stop();
    },
  };
}
