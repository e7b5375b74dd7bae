import { and, eq, lte, sql } from 'drizzle-orm';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import { ConfigError } from '../config/errors.js';
import type { Database } from '../db/client.js';
import { cronRuns } from '../db/schema/index.js';
import { buildDigest } from './build.js';
import type { Digest } from './types.js';

export const DIGEST_JOB = 'digest';

/**
 * A digest whose post failed (Slack down past the WebClient's own retries, the database away) is
 * tried again after these waits, counted from each failure, then given up. It still covers the
 * period of its tick.
 */
export const DIGEST_RETRY_WAITS_MS = [5 * 60_000, 15 * 60_000, 45 * 60_000];
/** How often a replica looks for failed digests that are due again. */
const RETRY_SCAN_MS = 60_000;

type TickOutcome = 'posted' | 'skipped' | 'failed';

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
  runOnce(scheduledFor: Date): Promise<TickOutcome>;
  /** Posts again, once across replicas, each failed tick whose next attempt is due at `now`. */
  retryFailed(now?: Date): Promise<TickOutcome[]>;
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
 * an insert into `cron_runs` that only one replica can win. A tick whose post failed is claimed
 * again the same way (an update only one replica can win) after each of DIGEST_RETRY_WAITS_MS. A
 * tick missed while no replica was running is not sent later.
 */
export function startDigestScheduler(options: DigestSchedulerOptions): DigestScheduler {
  assertValidCron(options.cron);
  const { database, logger } = options;

  async function runOnce(scheduledFor: Date): Promise<TickOutcome> {
    const tick = new Date(Math.floor(scheduledFor.getTime() / 60_000) * 60_000);
    const claimed = await database.db
      .insert(cronRuns)
      .values({ job: DIGEST_JOB, scheduledFor: tick, claimedBy: options.replicaId })
      .onConflictDoNothing()
      .returning({ job: cronRuns.job });
    if (claimed.length === 0) return 'skipped';
    return postTick(tick, 1);
  }

  async function retryFailed(now = new Date()): Promise<TickOutcome[]> {
    const due = await database.db
      .update(cronRuns)
      .set({
        status: 'running',
        attempts: sql`${cronRuns.attempts} + 1`,
        claimedBy: options.replicaId,
        claimedAt: now,
        nextAttemptAt: null,
      })
      .where(
        and(eq(cronRuns.job, DIGEST_JOB), eq(cronRuns.status, 'failed'), lte(cronRuns.nextAttemptAt, now)),
      )
      .returning({ scheduledFor: cronRuns.scheduledFor, attempts: cronRuns.attempts });
    const outcomes: TickOutcome[] = [];
    for (const run of due) outcomes.push(await postTick(run.scheduledFor, run.attempts));
    return outcomes;
  }

  /** Builds and posts the digest of a tick this replica has claimed, and records how it went. */
  async function postTick(tick: Date, attempt: number): Promise<TickOutcome> {
    const where = and(eq(cronRuns.job, DIGEST_JOB), eq(cronRuns.scheduledFor, tick));
    try {
      const digest = await buildDigest(database, {
        since: options.since ?? '7d',
        now: tick,
        includePrivateText: false,
      });
      await options.post(digest);
      await database.db.update(cronRuns).set({ status: 'done', finishedAt: new Date() }).where(where);
      logger.info({ scheduledFor: tick.toISOString(), attempt }, 'digest posted');
      return 'posted';
    } catch (error) {
      const message = (error as Error).message;
      const wait = DIGEST_RETRY_WAITS_MS[attempt - 1];
      const nextAttemptAt = wait === undefined ? null : new Date(Date.now() + wait);
      await database.db
        .update(cronRuns)
        .set({ status: 'failed', finishedAt: new Date(), error: message.slice(0, 2000), nextAttemptAt })
        .where(where)
        .catch(() => {});
      logger.error(
        {
          err: message,
          scheduledFor: tick.toISOString(),
          attempt,
          nextAttemptAt: nextAttemptAt?.toISOString(),
        },
        nextAttemptAt
          ? 'digest could not be posted; it will be tried again'
          : 'digest could not be posted; giving up',
      );
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
  const retries = setInterval(() => {
    retryFailed().catch((error: Error) => logger.error({ err: error.message }, 'digest retry scan failed'));
  }, RETRY_SCAN_MS);
  retries.unref();
  return {
    stop() {
      void task.stop();
      clearInterval(retries);
    },
    runOnce,
    retryFailed,
  };
}
