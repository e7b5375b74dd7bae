import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { percentileFromCounts } from './percentile.js';
import type { ChannelFigures, KnowledgeGap, PeriodFigures, SourceFigures } from './types.js';

/*
 * Every figure computed live from the rows of its period: the digest with `rollups: false` (the
 * benchmark's baseline), and the definitions that rollup-queries.ts, which reads whole days from
 * the daily rollups, must give exactly.
 */

export type Row = Record<string, unknown>;
/** A timestamp parameter both drivers accept (postgres.js takes no Date in a raw query). */
export const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
export const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const optionalNum = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Math.round(Number(value));
const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** `and team_id = …` for a questions query, or nothing when the digest covers every workspace. */
export const questionsOf = (teamId: string | undefined) => (teamId ? sql` and team_id = ${teamId}` : sql``);
/** The same for a table that points at questions (tickets, alerts, lookups). */
export const aboutQuestionsOf = (teamId: string | undefined) =>
  teamId ? sql` and question_id in (select id from questions where team_id = ${teamId})` : sql``;

/**
 * Feedback is given on an answer, so after its question was asked: the rows that can belong to
 * questions of a period are found by a range scan on their own `created_at` from the period's start
 * (a day earlier, for clocks that disagree between replicas and the database) and joined to their
 * questions, instead of joining every question of the period to its feedback. Only the questions
 * marked solved are then checked for a ticket, by index.
 */
export const CLOCK_MARGIN = sql`interval '1 day'`;

/** Per question asked since `from`: whether anyone marked its answer solved, or not helpful. */
function feedbackSince(from: Date) {
  return sql`select question_id, bool_or(kind = 'solved') as solved, bool_or(kind = 'not_helpful') as not_helpful
    from feedback where created_at >= ${at(from)} - ${CLOCK_MARGIN} group by question_id`;
}

/**
 * Every figure of one period, aggregated in Postgres: a few range scans on `created_at` (each
 * table has an index on it), never the rows themselves. The questions are read twice: once joined
 * to their feedback and tickets and grouped by way in, category and day (a few hundred groups, from
 * which the totals, both breakdowns and the busiest day are summed), once as counts per answer time
 * (the percentiles worked out exactly from them, as for the sources, instead of sorting every row).
 */
export async function periodFigures(
  database: Database,
  from: Date,
  to: Date,
  teamId?: string,
): Promise<PeriodFigures> {
  const [groups, answered, answerTimes, ticketsAndAlerts] = await Promise.all([
    database.rows(sql`select entry_point, category,
        to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, count(*)::int as n
      from questions where created_at >= ${at(from)} and created_at < ${at(to)}${questionsOf(teamId)}
      group by entry_point, category, (created_at at time zone 'UTC')::date`),
    database.rows(sql`
      with fb as (${feedbackSince(from)})
      select count(*) filter (where fb.solved
          and not exists (select 1 from tickets t where t.question_id = q.id))::int as deflected,
        count(*) filter (where fb.not_helpful)::int as not_helpful
      from fb join questions q on q.id = fb.question_id
      where q.created_at >= ${at(from)} and q.created_at < ${at(to)}${questionsOf(teamId)}`),
    database.rows(sql`select answer_ms, count(*)::int as n from questions
      where created_at >= ${at(from)} and created_at < ${at(to)}${questionsOf(teamId)} and answer_ms is not null
      group by answer_ms`),
    ticketAndAlertFigures(database, from, to, teamId),
  ]);
  return assemblePeriodFigures({
    groups,
    deflected: num(answered[0]?.deflected),
    notHelpful: num(answered[0]?.not_helpful),
    answerHistogram: answerTimes.map((row): [number, number] => [num(row.answer_ms), num(row.n)]),
    ...ticketsAndAlerts,
  });
}

/** The period's tickets (by status, reason and priority) and alerts. */
async function ticketAndAlertFigures(
  database: Database,
  from: Date,
  to: Date,
  teamId: string | undefined,
): Promise<{ tickets: Row[]; alerts: Row }> {
  const [tickets, alerts] = await Promise.all([
    database.rows(sql`select status, reason, priority, count(*)::int as n from tickets
      where created_at >= ${at(from)} and created_at < ${at(to)}${aboutQuestionsOf(teamId)} group by status, reason, priority`),
    database.rows(sql`select count(*)::int as n,
        percentile_cont(0.5) within group (order by extract(epoch from (taken_at - created_at)) / 60)
          filter (where taken_at is not null)::float8 as median_minutes,
        count(*) filter (where taken_at is null)::int as never_taken
      from alerts where created_at >= ${at(from)} and created_at < ${at(to)}${aboutQuestionsOf(teamId)}`),
  ]);
  return { tickets, alerts: alerts[0] ?? {} };
}

/**
 * A period's figures from its parts: questions grouped by way in, category and UTC day (`n`),
 * deflected and not helpful, the answer-time histogram, and the tickets and alerts.
 */
export function assemblePeriodFigures(parts: {
  groups: Row[];
  deflected: number;
  notHelpful: number;
  answerHistogram: Array<[number, number]>;
  tickets: Row[];
  alerts: Row;
}): PeriodFigures {
  const { groups, answerHistogram, tickets } = parts;
  const sumBy = (key: string) => {
    const out: Record<string, number> = {};
    for (const row of groups) out[String(row[key])] = (out[String(row[key])] ?? 0) + num(row.n);
    return out;
  };
  const total = {
    n: groups.reduce((sum, row) => sum + num(row.n), 0),
    deflected: parts.deflected,
    not_helpful: parts.notHelpful,
  };
  // As `order by n desc, day asc limit 1` over the questions per day.
  const busiestRow = Object.entries(sumBy('day'))
    .map(([day, n]) => ({ day, n }))
    .sort((a, b) => b.n - a.n || (a.day < b.day ? -1 : a.day > b.day ? 1 : 0))[0];
  const questions = total.n;
  const ticketRows = tickets as Row[];
  const sumWhere = (predicate: (row: Row) => boolean) =>
    ticketRows.filter(predicate).reduce((sum, row) => sum + num(row.n), 0);
  const group = (key: string) => {
    const out: Record<string, number> = {};
    for (const row of ticketRows) out[String(row[key])] = (out[String(row[key])] ?? 0) + num(row.n);
    return out;
  };
  const alertRow = parts.alerts;
  return {
    questions,
    byEntryPoint: sumBy('entry_point'),
    byCategory: sumBy('category'),
    busiestDay: busiestRow ? { day: busiestRow.day, questions: busiestRow.n } : undefined,
    deflected: total.deflected,
    deflectionRate: ratio(total.deflected, questions),
    notHelpful: total.not_helpful,
    notHelpfulRate: ratio(total.not_helpful, questions),
    tickets: {
      total: sumWhere(() => true),
      byPriority: group('priority'),
      byReason: group('reason'),
      pending: sumWhere((row) => row.status === 'pending'),
      failed: sumWhere((row) => row.status === 'failed'),
    },
    answerMs: {
      p50: optionalNum(percentileFromCounts(answerHistogram, 0.5)),
      p90: optionalNum(percentileFromCounts(answerHistogram, 0.9)),
    },
    alerts: {
      total: num(alertRow.n),
      medianMinutesToTake:
        alertRow.median_minutes === null || alertRow.median_minutes === undefined
          ? undefined
          : Math.round(Number(alertRow.median_minutes) * 10) / 10,
      neverTaken: num(alertRow.never_taken),
    },
  };
}

/**
 * The questions nobody could answer (no good match, or marked Not helpful), near-duplicates
 * grouped by fingerprint, most frequent first. Text asked privately is only shown when asked for.
 */
export async function knowledgeGaps(
  database: Database,
  from: Date,
  to: Date,
  includePrivateText: boolean,
  limit = 10,
  teamId?: string,
): Promise<KnowledgeGap[]> {
  // The questions with no good match come from their own partial index; those answered but marked
  // Not helpful from the feedback since the period began, each looked up by id: neither reads
  // every question of the period. The two sets do not overlap (found is false, or it is not).
  const rows = await database.rows(sql`
    select g.fingerprint, count(*)::int as n,
      (array_agg(g.text order by g.created_at desc) filter (where g.channel_kind = 'public'))[1] as public_example,
      (array_agg(g.text order by g.created_at desc))[1] as any_example,
      bool_and(g.channel_kind <> 'public') as all_private
    from (
      select q.fingerprint, q.text, q.created_at, q.channel_kind from questions q
      where q.found = false and q.created_at >= ${at(from)} and q.created_at < ${at(to)}${questionsOf(teamId)}
      union all
      select q.fingerprint, q.text, q.created_at, q.channel_kind
      from (select distinct question_id from feedback
          where kind = 'not_helpful' and created_at >= ${at(from)} - ${CLOCK_MARGIN}) nh
        join questions q on q.id = nh.question_id
      where q.found is distinct from false
        and q.created_at >= ${at(from)} and q.created_at < ${at(to)}${questionsOf(teamId)}
    ) g
    group by g.fingerprint
    order by n desc, g.fingerprint asc
    limit ${limit}`);
  return rows.map((row) => {
    const example = includePrivateText
      ? (row.any_example as string | null)
      : (row.public_example as string | null);
    return { count: num(row.n), example: example ?? undefined, askedPrivately: row.all_private === true };
  });
}

/** Per knowledge source: calls, error rate, latency percentiles and hits per question. */
export async function sourceFigures(
  database: Database,
  from: Date,
  to: Date,
  teamId?: string,
): Promise<SourceFigures[]> {
  // Counts per latency rather than percentile_cont over every row: a hash aggregate instead of a
  // sort of all the period's lookups, with the percentiles worked out exactly from the counts.
  const rows = await database.rows(sql`
    select source, latency_ms, count(*)::int as n,
      count(*) filter (where status <> 'ok')::int as errors,
      sum(hits)::int as hits
    from lookups where created_at >= ${at(from)} and created_at < ${at(to)}${aboutQuestionsOf(teamId)}
    group by source, latency_ms`);
  const bySource: LookupsBySource = new Map();
  for (const row of rows) {
    const source = String(row.source);
    const figures = bySource.get(source) ?? { histogram: [], errors: 0, hits: 0 };
    figures.histogram.push([num(row.latency_ms), num(row.n)]);
    figures.errors += num(row.errors);
    figures.hits += num(row.hits);
    bySource.set(source, figures);
  }
  return assembleSourceFigures(bySource);
}

/** Per source: the latency histogram (latency, lookups), errors and hits. */
export type LookupsBySource = Map<
  string,
  { histogram: Array<[number, number]>; errors: number; hits: number }
>;

export function assembleSourceFigures(bySource: LookupsBySource): SourceFigures[] {
  return [...bySource]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([source, figures]) => {
      // One lookups row per source per question: counting rows counts questions.
      const calls = figures.histogram.reduce((sum, [, count]) => sum + count, 0);
      return {
        source,
        calls,
        errorRate: ratio(figures.errors, calls),
        p50Ms: optionalNum(percentileFromCounts(figures.histogram, 0.5)),
        p95Ms: optionalNum(percentileFromCounts(figures.histogram, 0.95)),
        hitsPerQuestion: Math.round(ratio(figures.hits, calls) * 10) / 10,
      };
    });
}

/**
 * Per support channel: the period's requests, how many the bot answered with no human, the median
 * time to the first human response, SLA breaches and the share resolved; and each channel's oldest
 * request still open (whenever it was made). Two grouped scans of `requests`.
 */
export async function channelFigures(
  database: Database,
  from: Date,
  to: Date,
  teamId?: string,
  now: Date = to,
): Promise<ChannelFigures[]> {
  const [periodRows, openRows] = await Promise.all([
    database.rows(sql`select channel_id, count(*)::int as n,
        count(*) filter (where status = 'resolved' and first_response_at is null and reply_ts is not null)::int as by_bot,
        percentile_cont(0.5) within group (order by extract(epoch from (first_response_at - created_at)) / 60)
          filter (where first_response_at is not null)::float8 as median_first_response,
        count(*) filter (where breached_at is not null)::int as breaches,
        count(*) filter (where status = 'resolved')::int as resolved
      from requests where created_at >= ${at(from)} and created_at < ${at(to)}${questionsOf(teamId)}
      group by channel_id`),
    database.rows(sql`select distinct on (channel_id) channel_id, root_ts,
        to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created_at
      from requests where status <> 'resolved' and created_at < ${at(to)}${questionsOf(teamId)}
      order by channel_id, created_at asc, id asc`),
  ]);
  const oldest = new Map(openRows.map((row) => [String(row.channel_id), row]));
  const byChannel = new Map(periodRows.map((row) => [String(row.channel_id), row]));
  const channels = new Set([...byChannel.keys(), ...oldest.keys()]);
  return [...channels]
    .map((channelId): ChannelFigures => {
      const row = byChannel.get(channelId) ?? {};
      const open = oldest.get(channelId);
      const requests = num(row.n);
      const createdAt = open ? new Date(String(open.created_at)) : undefined;
      return {
        channelId,
        requests,
        answeredByBot: num(row.by_bot),
        medianFirstResponseMinutes: optionalNum(row.median_first_response),
        slaBreaches: num(row.breaches),
        resolvedShare: ratio(num(row.resolved), requests),
        ...(open && createdAt
          ? {
              oldestOpen: {
                rootTs: String(open.root_ts),
                createdAt,
                ageMinutes: Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / 60_000)),
              },
            }
          : {}),
      };
    })
    .sort((a, b) => b.requests - a.requests || a.channelId.localeCompare(b.channelId));
}
