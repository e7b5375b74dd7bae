import { type SQL, sql } from 'drizzle-orm';
import type { Database, Db } from '../db/client.js';

/*
 * The digest's daily rollups (tables in src/db/schema/digest-rollups.ts): per UTC day and
 * workspace, the questions by way in and category, deflected and not helpful (on the question's
 * day), the answer-time histogram, the tickets by status, reason and priority, the knowledge-gap
 * groups and the lookups' latency histograms. A digest reads the rolled-up days of its periods and
 * computes only the rest live: today, the parts of the edge days (an edge day mostly inside the
 * period is read as its rollup less the part outside), any day that could not be rolled up.
 *
 * Marks. Triggers (migrations/0006_digest_rollup_triggers.sql) mark a day dirty in
 * `digest_dirty_days` when a write touches a day before today (UTC, database clock): a spooled
 * question or lookup, feedback or a ticket on an old question, a ticket's status changing days
 * later, an answer saved late. A day is used only while it has a rollup and no mark; a missing or
 * marked day is recomputed by the digest that finds it. Writes to today mark nothing (the trigger's
 * WHEN clause compares two dates), so a day may only be rolled up once every write made while it
 * was today has committed or aborted:
 * - a day before yesterday: once it ended more than a day ago, on the assumption that no
 *   transaction stays open for a day;
 * - yesterday: once no transaction is running whose id is below `digest_day_horizons.next_xid`,
 *   the id of the transaction that recorded it after yesterday ended (ids are handed out in order:
 *   any write made while yesterday was today has a lower one), which is known when the snapshot's
 *   xmin reaches it. No assumption; until then yesterday is live.
 *
 * The race with late writes. A day is recomputed in one READ COMMITTED transaction: under a
 * per-day advisory lock (two processes recomputing the same day take turns), a statement that
 * deletes the day's mark, then one statement that reads the source tables and writes every rollup
 * of the day. The writer's trigger upserts the mark with `on conflict do update`, which takes the
 * mark's row lock:
 * - a writer that marked before the delete and has not committed either holds the lock of a mark
 *   that existed (the delete waits for it to commit, and the later statement sees its rows) or
 *   inserted the mark fresh (invisible to the delete, so it survives the recomputation);
 * - a writer that marks after the delete meets the deleted, uncommitted row, waits for the
 *   recomputation to commit, then inserts a new mark.
 * So a rollup either includes a write or its day is left marked, and a digest that reads a day's
 * state after a write committed uses the day only if its rollup includes that write.
 * `test/digest/rollups.test.ts` writes late rows from a second connection while a day is recomputed.
 */

export const DAY_MS = 86_400_000;
/** Any number works as long as every deskhand process agrees on it: "dgst". */
const ROLLUP_LOCK_KEY = 0x64677374;
/** A recomputation that would wait longer than this for a writer's lock leaves its day live. */
const LOCK_TIMEOUT = '2s';
/** Days a digest recomputes at once. */
const CONCURRENCY = 2;

/** `YYYY-MM-DD` of the UTC day starting at `ms`. */
export const dayKey = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayStart = (key: string): number => Date.parse(`${key}T00:00:00Z`);
/** A timestamp parameter both drivers accept (postgres.js takes no Date in a raw query). */
const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
/** A `date[]` parameter (drizzle would spread a JS array into a list). */
export const dateArray = (days: readonly string[]) => sql`${`{${days.join(',')}}`}::date[]`;

/** Whether the day `day` (a SQL date) may be rolled up now (see the header). */
const mayRollUp = (day: SQL) => sql`(${day} <= (clock_timestamp() at time zone 'UTC')::date - 2
  or (${day} = (clock_timestamp() at time zone 'UTC')::date - 1 and exists (select 1 from digest_day_horizons h
    where h.day = ${day} and pg_snapshot_xmin(pg_current_snapshot()) >= h.next_xid)))`;

/** The UTC days that [from, to) touches, as `YYYY-MM-DD`. */
export function daysTouching(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let start = Math.floor(from.getTime() / DAY_MS) * DAY_MS; start < to.getTime(); start += DAY_MS)
    days.push(dayKey(start));
  return days;
}

export type Span = [Date, Date];

/**
 * How a period is read: whole days from their rollups, plus the spans computed live (`added`),
 * less the spans computed live and taken away (`removed`: the part outside the period of an edge
 * day read from its rollup, when that part is the smaller one).
 */
export interface PeriodPlan {
  days: string[];
  added: Span[];
  removed: Span[];
  /** The first day, when read from its rollup less the part before the period (`removed`). */
  cutStart?: { day: string; at: Date };
}

/**
 * The plan for [from, to) given the days with a usable rollup. An edge day partly inside the
 * period is read as its rollup less the rest when the rest is shorter than the part inside
 * (`subtractAtEnd: false` never does so for the last day: the knowledge gaps' latest examples
 * cannot be taken away).
 */
export function planPeriod(
  from: Date,
  to: Date,
  rolled: ReadonlySet<string>,
  options: { subtractAtEnd: boolean },
): PeriodPlan {
  const plan: PeriodPlan = { days: [], added: [], removed: [] };
  const start = from.getTime();
  const end = to.getTime();
  let cursor = start; // the first instant not yet covered
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
    const key = dayKey(day);
    const dayEnd = day + DAY_MS;
    if (!rolled.has(key) || (day < start && dayEnd > end)) continue;
    if (day < start) {
      // The first day, partly before the period.
      if (start - day >= dayEnd - start) continue;
      plan.days.push(key);
      plan.removed.push([new Date(day), from]);
      plan.cutStart = { day: key, at: from };
      cursor = dayEnd;
    } else if (dayEnd > end) {
      // The last day, partly after the period.
      if (!options.subtractAtEnd || dayEnd - end >= end - day) continue;
      if (day > cursor) plan.added.push([new Date(cursor), new Date(day)]);
      plan.days.push(key);
      plan.removed.push([to, new Date(dayEnd)]);
      cursor = end;
    } else {
      if (day > cursor) plan.added.push([new Date(cursor), new Date(day)]);
      plan.days.push(key);
      cursor = dayEnd;
    }
  }
  if (end > cursor) plan.added.push([new Date(cursor), to]);
  return plan;
}

export interface RollupReport {
  /** Days usable as rolled up (had a clean rollup, or were recomputed now). */
  usable: Set<string>;
  /** Of those, recomputed by this call (missing or marked dirty). */
  computed: string[];
  /** Days not rolled up yet (today; yesterday before its horizon passed), or whose recomputation gave way to a lock. */
  live: string[];
}

/**
 * The days of `days` that can be read from the rollups, recomputing those missing or marked dirty
 * first (`compute: false` only reports). Idempotent: processes doing it at once are harmless.
 */
export async function ensureRollups(
  database: Database,
  days: readonly string[],
  options: { compute?: boolean; concurrency?: number } = {},
): Promise<RollupReport> {
  const report: RollupReport = { usable: new Set(), computed: [], live: [] };
  if (days.length === 0) return report;
  // Yesterday's horizon, recorded once yesterday has ended: the id of this statement's transaction,
  // handed out after the statement started, so after midnight. (Not the snapshot's xmax, which is
  // only the last completed id + 1: a transaction given an id before it may still be running.)
  await database.rows(sql`insert into digest_day_horizons (day, next_xid)
    select d, pg_current_xact_id() from unnest(${dateArray(days)}) as d
    where d = (statement_timestamp() at time zone 'UTC')::date - 1
    on conflict (day) do nothing`);
  const states = await database.rows<{ day: string; ready: boolean; eligible: boolean }>(sql`
    select to_char(d, 'YYYY-MM-DD') as day,
      exists (select 1 from digest_days r where r.day = d)
        and not exists (select 1 from digest_dirty_days m where m.day = d) as ready,
      ${mayRollUp(sql`d`)} as eligible
    from unnest(${dateArray(days)}) as d`);
  const toCompute: string[] = [];
  for (const state of states) {
    // Ready implies it was eligible when computed (and stays so: the horizon only ever passes).
    if (state.ready) report.usable.add(state.day);
    else if (state.eligible && options.compute !== false) toCompute.push(state.day);
    else report.live.push(state.day);
  }
  let next = 0;
  const worker = async () => {
    while (next < toCompute.length) {
      const day = toCompute[next++] as string;
      if (await computeDay(database, day)) {
        report.usable.add(day);
        report.computed.push(day);
      } else report.live.push(day);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? CONCURRENCY, toCompute.length) }, worker),
  );
  report.computed.sort();
  report.live.sort();
  return report;
}

const rowsOf = <T>(result: unknown): T[] =>
  (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

class NotEligible extends Error {}

/**
 * Recomputes one day's rollups for every workspace (see the race above). False when the day may
 * not be rolled up yet, or a writer held its mark's lock too long.
 */
export async function computeDay(
  database: Database,
  day: string,
  /** Tests: runs once the mark is deleted, before the day is read. */
  hooks: { afterUnmark?: () => Promise<void> } = {},
): Promise<boolean> {
  const start = dayStart(day);
  const end = start + DAY_MS;
  try {
    await database.db.transaction(
      async (tx: Db) => {
        // A day's statement is costed high enough for JIT, whose compilation takes longer than the run.
        await tx.execute(
          sql`select set_config('lock_timeout', ${LOCK_TIMEOUT}, true), set_config('jit', 'off', true)`,
        );
        await tx.execute(
          sql`select pg_advisory_xact_lock(${ROLLUP_LOCK_KEY}, (${day}::date - date '2000-01-01')::int)`,
        );
        // The first statement that reads anything deletes the mark (after the lock: it sees what
        // another process recomputing the day committed meanwhile).
        const [state] = rowsOf<{ was_dirty: boolean; computed: boolean; eligible: boolean }>(
          await tx.execute(sql`
            with unmarked as (delete from digest_dirty_days where day = ${day}::date returning day)
            select exists (select 1 from unmarked) as was_dirty,
              exists (select 1 from digest_days where day = ${day}::date) as computed,
              ${mayRollUp(sql`${day}::date`)} as eligible`),
        );
        if (!state?.eligible) throw new NotEligible(); // rolls back: a mark stays
        if (state.computed && !state.was_dirty) return; // done by another process meanwhile
        await hooks.afterUnmark?.();
        await tx.execute(sql`
          with q as (delete from digest_day_questions where day = ${day}::date),
            t as (delete from digest_day_teams where day = ${day}::date),
            g as (delete from digest_day_gaps where day = ${day}::date),
            k as (delete from digest_day_tickets where day = ${day}::date)
          delete from digest_day_lookups where day = ${day}::date`);
        // One statement, so one snapshot, for every figure of the day: it starts after the mark
        // was deleted and sees every write committed by then.
        await tx.execute(dayRollupStatement(day, at(start), at(end)));
      },
      { isolationLevel: 'read committed' },
    );
    return true;
  } catch (error) {
    if (error instanceof NotEligible) return false;
    // lock_not_available (lock_timeout), deadlock_detected: the day is computed live this time.
    const code = String(
      (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code,
    );
    if (code === '55P03' || code === '40P01') return false;
    throw error;
  }
}

/** `string_agg` of (value, count) pairs into the histogram format of src/db/schema/digest-rollups.ts. */
const HISTOGRAM = (value: string, count: string) =>
  sql.raw(
    `coalesce(string_agg(int4send(${value}) || int4send(${count}), ''::bytea order by ${value}) filter (where ${value} is not null), ''::bytea)`,
  );

function dayRollupStatement(day: string, from: SQL, to: SQL): SQL {
  return sql`
    with day_questions as materialized (
      -- Each question's feedback and ticket looked up by question (feedback_once_idx,
      -- tickets_question_idx): exact whenever the feedback came or was stamped. A scalar subquery
      -- under CASE keeps the ticket lookup per question (an EXISTS may be planned as a hash of
      -- every ticket).
      select q.id, coalesce(q.team_id, '') as team_key, q.entry_point, q.category, q.answer_ms, q.found,
        q.fingerprint, q.created_at, q.channel_kind,
        coalesce(fb.not_helpful, false) as not_helpful,
        case when fb.solved then (select true from tickets t where t.question_id = q.id limit 1) is null
          else false end as deflected
      from questions q
        left join lateral (select bool_or(f.kind = 'solved') as solved, bool_or(f.kind = 'not_helpful') as not_helpful
          from feedback f where f.question_id = q.id) fb on true
      where q.created_at >= ${from} and q.created_at < ${to}
    ),
    by_way as (
      insert into digest_day_questions (day, team_key, entry_point, category, n)
      select ${day}::date, team_key, entry_point, category, count(*)::int
      from day_questions group by team_key, entry_point, category
    ),
    per_team as (
      insert into digest_day_teams (day, team_key, deflected, not_helpful, answer_histogram)
      select ${day}::date, team_key, sum(deflected)::int, sum(not_helpful)::int,
        ${HISTOGRAM('answer_ms', 'n')}
      from (
        select team_key, answer_ms, count(*)::int as n, count(*) filter (where deflected) as deflected,
          count(*) filter (where not_helpful) as not_helpful
        from day_questions group by team_key, answer_ms
      ) per_time
      group by team_key
    ),
    gaps as (
      insert into digest_day_gaps (day, team_key, fingerprint, n, latest_id, latest_at,
        latest_public_id, latest_public_at, all_private)
      select ${day}::date, team_key, fingerprint, count(*)::int,
        (array_agg(id order by created_at desc))[1], max(created_at),
        (array_agg(id order by created_at desc) filter (where channel_kind = 'public'))[1],
        max(created_at) filter (where channel_kind = 'public'),
        bool_and(channel_kind <> 'public')
      from day_questions where found = false or not_helpful
      group by team_key, fingerprint
    ),
    ticket_kinds as (
      -- A ticket counts for its question's workspace (looked up by primary key), on its own day.
      insert into digest_day_tickets (day, team_key, status, reason, priority, n)
      select ${day}::date, coalesce((select q.team_id from questions q where q.id = t.question_id), ''),
        status, reason, priority, count(*)::int
      from tickets t where t.created_at >= ${from} and t.created_at < ${to}
      group by 2, 3, 4, 5
    ),
    sources as (
      insert into digest_day_lookups (day, team_key, source, latency_histogram, errors, hits)
      select ${day}::date, team_key, source, ${HISTOGRAM('latency_ms', 'n')}, sum(errors)::int, sum(hits)::int
      from (
        -- A lookup counts for its question's workspace, on its own day; its question is nearly
        -- always one of the day's (looked up by primary key otherwise).
        select coalesce(dq.team_key, (select coalesce(q.team_id, '') from questions q where q.id = l.question_id))
            as team_key,
          l.source, l.latency_ms, count(*)::int as n, count(*) filter (where l.status <> 'ok') as errors,
          sum(l.hits) as hits
        from lookups l left join day_questions dq on dq.id = l.question_id
        where l.created_at >= ${from} and l.created_at < ${to}
        group by 1, 2, 3
      ) per_latency
      group by team_key, source
    )
    insert into digest_days (day, computed_at) values (${day}::date, now())
    on conflict (day) do update set computed_at = excluded.computed_at`;
}

/** The pairs of a histogram column (see src/db/schema/digest-rollups.ts). */
export function histogramPairs(bytes: Uint8Array): Array<[number, number]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pairs: Array<[number, number]> = [];
  for (let offset = 0; offset + 8 <= bytes.byteLength; offset += 8)
    pairs.push([view.getInt32(offset), view.getInt32(offset + 4)]);
  return pairs;
}
