import { and, eq } from 'drizzle-orm';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { ConfigError } from '../config/errors.js';
import type { Database } from '../db/client.js';
import { cronRuns } from '../db/schema/index.js';
import { buildDigest } from './build.js';
import type { Digest } from './types.js';

export const DIGEST_JOB = 'digest';

export interface DigestSchedulerOptions {
  database: Database;
  cron: string;
  timezone: string;
  /** Posts the digest to the channel (the Slack adapter renders and sends it). */
  post: (digest: Digest) => Promise<void>;
  logger: Logger;
  /** Who claimed a run, for `cron_runs.claimed_by`: host and pid. */
  replicaId: string;
  /** The period each digest covers. */
  since?: string;
}

export interface DigestScheduler {
  stop(): void;
  /** Runs the tick for `scheduledFor` if no replica has claimed it yet. */
  runOnce(scheduledFor: Date): Promise<'posted' | 'skipped' | 'failed'>;
}

/** Checks a cron expression up front, so a typo stops the start instead of silently never firing. */
export function assertValidCron(expression: string): void {
  if (!cron.validate(expression)) {
    throw new ConfigError(
      `DIGEST_CRON is not a valid cron expression (got ${JSON.stringify(expression)}); for weekdays at 09:00 write "0 9 * * 1-5"`,
    );
  }
}

/**
 * Posts the digest on schedule, exactly once per tick across replicas: each tick is claimed with
 * an insert into `cron_runs` that only one replica can win. A tick missed while no replica was
 * running is not sent later.
 */
export function startDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  assertValidCron(options.cron);
  const { database, logger } = options;

  async function runOnce(scheduledFor: Date): Promise<'posted' | 'skipped' | 'failed'> {
    const tick = new Date(Math.floor(scheduledFor.getTime() / 60_000) * 60_000);
    const claimed = await database.db
      .insert(cronRuns)
      .values({ job: DIGEST_JOB, scheduledFor: tick, claimedBy: options.replicaId })
      .onConflictDoNothing()
      .returning({ job: cronRuns.job });
    if (claimed.length === 0) return 'skipped';
    const where = and(eq(cronRuns.job, DIGEST_JOB), eq(cronRuns.scheduledFor, tick));
    try {
      const digest = await buildDigest(database, {
        since: options.since ?? '7d',
        now: tick,
        includePrivateText: false,
      });
      await options.post(digest);
      await database.db.update(cronRuns).set({ status: 'done', finishedAt: new Date() }).where(where);
      logger.info({ scheduledFor: tick.toISOString() }, 'digest posted');
      return 'posted';
    } catch (error) {
      const message = (error as Error).message;
      await database.db
        .update(cronRuns)
        .set({ status: 'failed', finishedAt: new Date(), error: message.slice(0, 2000) })
        .where(where)
        .catch(() => {});
      logger.error({ err: message }, 'digest could not be posted');
      return 'failed';
    }
  }

  const task: ScheduledTask = cron.schedule(
    options.cron,
    async (context) => {
      await runOnce(context.triggeredAt ?? context.date).catch((error: Error) =>
        logger.error({ err: error.message }, 'digest tick failed'),
      );
    },
    { timezone: options.timezone, name: DIGEST_JOB, noOverlap: true },
  );
  return {
    stop() {
      void task.stop();
    },
    runOnce,
  };
}
