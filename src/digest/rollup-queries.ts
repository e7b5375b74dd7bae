import { type SQL, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import {
  aboutQuestionsOf,
  assemblePeriodFigures,
  assembleSourceFigures,
  at,
  CLOCK_MARGIN,
  type LookupsBySource,
  num,
  questionsOf,
  type Row,
} from './queries.js';
import { DAY_MS, dateArray, histogramPairs, planPeriod, type Span } from './rollups.js';
import type { KnowledgeGap, PeriodFigures, SourceFigures } from './types.js';

/*
 * The figures of queries.ts, read from the daily rollups for the days in `rolled` (see rollups.ts)
 * and computed live, with the same definitions, over the rest of the period: the partial days at
 * its edges, the last days, any day without a usable rollup. An edge day mostly inside the period
 * is read from its rollup less the part outside, computed live (counts and histograms subtract).
 * Merged, they give exactly what the live queries give over the whole period.
 */

export interface RollupScope {
  /** Days with a usable rollup (from `ensureRollups`). */
  rolled: ReadonlySet<string>;
  teamId?: string;
  /** The clock, to choose how live spans find their feedback (cost only, never the result). */
  now?: number;
}

/** `(column in span 1 or column in span 2 …)`; `false` for no span. */
function inSpans(column: string, spans: readonly Span[]): SQL {
  if (spans.length === 0) return sql`false`;
  const col = sql.raw(column);
  return sql`(${sql.join(
    spans.map(([start, end]) => sql`(${col} >= ${at(start)} and ${col} < ${at(end)})`),
    sql` or `,
  )})`;
}

/** 1 for a row of an added span, -1 for one of a removed span. */
const signOf = (column: string, removed: readonly Span[]) =>
  removed.length === 0 ? sql`1` : sql`(case when ${inSpans(column, removed)} then -1 else 1 end)`;

const teamKeyOf = (teamId: string | undefined, column = 'team_key') =>
  teamId ? sql` and ${sql.raw(column)} = ${teamId}` : sql``;
const earliest = (spans: readonly Span[]) => new Date(Math.min(...spans.map(([start]) => start.getTime())));
const none = Promise.resolve([] as Row[]);

/**
 * Feedback for the questions of a span comes after them. For a recent span it is read from the
 * span's start by its own created_at (as queries.ts does for the whole period: the feedback read is
 * then about the span's own); for an older span each question's feedback is looked up instead of
 * reading all the feedback given since. Tickets and feedback are looked up with scalar subqueries
 * under CASE (an EXISTS may be planned as a hash of the whole table).
 */
function byRecency(spans: readonly Span[], now: number) {
  const recent = spans.filter(
    ([start, end]) => now - start.getTime() <= 2 * (end.getTime() - start.getTime()) + DAY_MS,
  );
  return { recent, older: spans.filter((span) => !recent.includes(span)) };
}

/** Rows with the same key summed; keys whose count comes to 0 dropped (as a live query never shows them). */
function sumRows(rows: readonly Row[], keys: readonly string[]): Row[] {
  const merged = new Map<string, Row>();
  for (const row of rows) {
    const id = JSON.stringify(keys.map((key) => row[key]));
    const into = merged.get(id);
    if (into) into.n = num(into.n) + num(row.n);
    else merged.set(id, { ...row, n: num(row.n) });
  }
  return [...merged.values()].filter((row) => num(row.n) !== 0);
}

/** Histogram pairs with the same value summed, those at 0 dropped. */
function sumHistogram(pairs: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const counts = new Map<number, number>();
  for (const [value, count] of pairs) counts.set(value, (counts.get(value) ?? 0) + count);
  return [...counts].filter(([, count]) => count !== 0);
}

/** `periodFigures` of queries.ts over [from, to), whole days read from their rollups. */
export async function periodFiguresWithRollups(
  database: Database,
  from: Date,
  to: Date,
  scope: RollupScope,
): Promise<PeriodFigures> {
  const { teamId } = scope;
  const plan = planPeriod(from, to, scope.rolled, { subtractAtEnd: true });
  const live = [...plan.added, ...plan.removed];
  const { recent, older } = byRecency(live, scope.now ?? Date.now());
  const days = plan.days.length === 0 ? undefined : dateArray(plan.days);
  const sign = (column: string) => signOf(column, plan.removed);
  const [
    rolledGroups,
    rolledTeams,
    rolledTickets,
    liveGroups,
    liveRecent,
    liveOlder,
    liveAnswerTimes,
    liveTickets,
    alerts,
  ] = await Promise.all([
    days
      ? database.rows(sql`select to_char(day, 'YYYY-MM-DD') as day, entry_point, category, sum(n)::int as n
          from digest_day_questions where day = any(${days})${teamKeyOf(teamId)}
          group by day, entry_point, category`)
      : none,
    days
      ? database.rows(sql`select deflected, not_helpful, answer_histogram
          from digest_day_teams where day = any(${days})${teamKeyOf(teamId)}`)
      : none,
    days
      ? database.rows(sql`select status, reason, priority, sum(n)::int as n
          from digest_day_tickets where day = any(${days})${teamKeyOf(teamId)}
          group by status, reason, priority`)
      : none,
    live.length > 0
      ? database.rows(sql`select entry_point, category,
            to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day, sum(${sign('created_at')})::int as n
          from questions where ${inSpans('created_at', live)}${questionsOf(teamId)}
          group by entry_point, category, (created_at at time zone 'UTC')::date`)
      : none,
    recent.length > 0
      ? database.rows(sql`
          with fb as (select question_id, bool_or(kind = 'solved') as solved, bool_or(kind = 'not_helpful') as not_helpful
            from feedback where created_at >= ${at(earliest(recent))} - ${CLOCK_MARGIN} group by question_id)
          select sum(${sign('q.created_at')}) filter (where case when fb.solved
              then (select true from tickets t where t.question_id = q.id limit 1) is null end)::int as deflected,
            sum(${sign('q.created_at')}) filter (where fb.not_helpful)::int as not_helpful
          from fb join questions q on q.id = fb.question_id
          where ${inSpans('q.created_at', recent)}${questionsOf(teamId)}`)
      : none,
    older.length > 0
      ? database.rows(sql`
          select sum(${sign('q.created_at')}) filter (where case when fb.solved
              then (select true from tickets t where t.question_id = q.id limit 1) is null end)::int as deflected,
            sum(${sign('q.created_at')}) filter (where fb.not_helpful)::int as not_helpful
          from questions q
            cross join lateral (select bool_or(f.kind = 'solved') as solved, bool_or(f.kind = 'not_helpful') as not_helpful
              from feedback f where f.question_id = q.id) fb
          where ${inSpans('q.created_at', older)}${questionsOf(teamId)}`)
      : none,
    live.length > 0
      ? database.rows(sql`select answer_ms, sum(${sign('created_at')})::int as n from questions
          where ${inSpans('created_at', live)}${questionsOf(teamId)} and answer_ms is not null
          group by answer_ms`)
      : none,
    live.length > 0
      ? database.rows(sql`select status, reason, priority, sum(${sign('created_at')})::int as n from tickets
          where ${inSpans('created_at', live)}${aboutQuestionsOf(teamId)} group by status, reason, priority`)
      : none,
    // The median time to take an alert does not add up across days: read live (an index range scan
    // of a few hundred alerts).
    database.rows(sql`select count(*)::int as n,
        percentile_cont(0.5) within group (order by extract(epoch from (taken_at - created_at)) / 60)
          filter (where taken_at is not null)::float8 as median_minutes,
        count(*) filter (where taken_at is null)::int as never_taken
      from alerts where created_at >= ${at(from)} and created_at < ${at(to)}${aboutQuestionsOf(teamId)}`),
  ]);
  let deflected = 0;
  let notHelpful = 0;
  for (const row of [...rolledTeams, ...liveRecent, ...liveOlder]) {
    deflected += num(row.deflected);
    notHelpful += num(row.not_helpful);
  }
  const answerPairs: Array<[number, number]> = liveAnswerTimes.map((row) => [num(row.answer_ms), num(row.n)]);
  for (const row of rolledTeams) answerPairs.push(...histogramPairs(row.answer_histogram as Uint8Array));
  return assemblePeriodFigures({
    groups: sumRows([...rolledGroups, ...liveGroups], ['entry_point', 'category', 'day']),
    deflected,
    notHelpful,
    answerHistogram: sumHistogram(answerPairs),
    tickets: sumRows([...rolledTickets, ...liveTickets], ['status', 'reason', 'priority']),
    alerts: alerts[0] ?? {},
  });
}

/**
 * `knowledgeGaps` of queries.ts: the groups of the rolled-up days and of the live spans, merged
 * per fingerprint in one query (counts summed, the latest example of any part kept), then ranked.
 */
export async function knowledgeGapsWithRollups(
  database: Database,
  from: Date,
  to: Date,
  includePrivateText: boolean,
  limit: number,
  scope: RollupScope,
): Promise<KnowledgeGap[]> {
  const { teamId } = scope;
  // Only the first day can be read less its part outside the period: its latest examples are then
  // the day's own when asked after the period began, and it has none in the period otherwise.
  const plan = planPeriod(from, to, scope.rolled, { subtractAtEnd: false });
  const now = scope.now ?? Date.now();
  const wholeDays = plan.days.filter((day) => day !== plan.cutStart?.day);
  const days = wholeDays.length > 0 ? dateArray(wholeDays) : undefined;
  // The groups of the live spans and of the first day less its part before the period: few rows.
  const live: SQL[] = [];
  if (plan.added.length > 0)
    live.push(sql`select team_key, fingerprint, count(*)::int as n,
        (array_agg(id order by created_at desc))[1] as latest_id, max(created_at) as latest_at,
        (array_agg(id order by created_at desc) filter (where channel_kind = 'public'))[1] as latest_public_id,
        max(created_at) filter (where channel_kind = 'public') as latest_public_at,
        bool_and(channel_kind <> 'public') as all_private
      from (${gapQuestions(plan.added, teamId, now)}) g
      group by team_key, fingerprint`);
  if (plan.cutStart) {
    const cut = at(plan.cutStart.at);
    live.push(sql`select r.team_key, r.fingerprint, r.n - coalesce(c.n, 0) as n, r.latest_id, r.latest_at,
        case when r.latest_public_at >= ${cut} then r.latest_public_id end as latest_public_id,
        case when r.latest_public_at >= ${cut} then r.latest_public_at end as latest_public_at,
        r.latest_public_at is null or r.latest_public_at < ${cut} as all_private
      from digest_day_gaps r
        left join (select team_key, fingerprint, count(*)::int as n
          from (${gapQuestions(plan.removed, teamId, now)}) g group by team_key, fingerprint) c
        on c.team_key = r.team_key and c.fingerprint = r.fingerprint
      where r.day = ${plan.cutStart.day}::date and r.n > coalesce(c.n, 0)${teamKeyOf(teamId, 'r.team_key')}`);
  }
  if (!days && live.length === 0) return [];
  const liveRows =
    live.length > 0
      ? sql.join(live, sql` union all `)
      : sql`select null::text as team_key,
      null::text as fingerprint, 0 as n, null::uuid as latest_id, null::timestamptz as latest_at,
      null::uuid as latest_public_id, null::timestamptz as latest_public_at, true as all_private where false`;
  // Ranked as queries.ts ranks (count, then fingerprint) from the counts alone; then only the top
  // groups' rows are read again, by day and fingerprint (`offset 0` keeps that a lookup per group
  // rather than a join with every row of the period), for their latest examples.
  const rows = await database.rows(sql`
    with live as materialized (${liveRows}),
    top as (
      select fingerprint, sum(n)::int as n, bool_and(all_private) as all_private from (
        select fingerprint, n, all_private from live
        ${days ? sql`union all select fingerprint, n, all_private from digest_day_gaps where day = any(${days})${teamKeyOf(teamId)}` : sql``}
      ) counts
      group by fingerprint order by n desc, fingerprint asc limit ${limit}
    ),
    candidates as (
      select fingerprint, latest_id, latest_at, latest_public_id, latest_public_at from live
      where fingerprint in (select fingerprint from top)
      ${
        days
          ? sql`union all select r.fingerprint, r.latest_id, r.latest_at, r.latest_public_id, r.latest_public_at
              from top cross join lateral (select * from digest_day_gaps g
                where g.day = any(${days}) and g.fingerprint = top.fingerprint${teamKeyOf(teamId, 'g.team_key')}
                offset 0) r`
          : sql``
      }
    ),
    examples as (
      select top.fingerprint, top.n, top.all_private,
        (array_agg(c.latest_id order by c.latest_at desc))[1] as latest_id,
        (array_agg(c.latest_public_id order by c.latest_public_at desc)
          filter (where c.latest_public_id is not null))[1] as latest_public_id
      from top join candidates c on c.fingerprint = top.fingerprint
      group by top.fingerprint, top.n, top.all_private
    )
    select e.n, e.all_private, latest.text as any_example, latest_public.text as public_example
    from examples e
      left join questions latest on latest.id = e.latest_id
      left join questions latest_public on latest_public.id = e.latest_public_id
    order by e.n desc, e.fingerprint asc`);
  return rows.map((row) => {
    const example = includePrivateText
      ? (row.any_example as string | null)
      : (row.public_example as string | null);
    return { count: num(row.n), example: example ?? undefined, askedPrivately: row.all_private === true };
  });
}

/**
 * The questions of `spans` that are knowledge gaps (no good match, or answered and marked Not
 * helpful), as queries.ts selects them: two disjoint sets.
 */
function gapQuestions(spans: readonly Span[], teamId: string | undefined, now: number): SQL {
  const { recent, older } = byRecency(spans, now);
  const columns = sql`coalesce(q.team_id, '') as team_key, q.fingerprint, q.id, q.created_at, q.channel_kind`;
  const sets = [
    sql`select ${columns} from questions q
      where q.found = false and ${inSpans('q.created_at', spans)}${questionsOf(teamId)}`,
  ];
  if (recent.length > 0)
    sets.push(sql`select ${columns}
      from (select distinct question_id from feedback
          where kind = 'not_helpful' and created_at >= ${at(earliest(recent))} - ${CLOCK_MARGIN}) nh
        join questions q on q.id = nh.question_id
      where q.found is distinct from false and ${inSpans('q.created_at', recent)}${questionsOf(teamId)}`);
  if (older.length > 0)
    sets.push(sql`select ${columns} from questions q
      where q.found is distinct from false and ${inSpans('q.created_at', older)}${questionsOf(teamId)}
        and (select true from feedback f where f.question_id = q.id and f.kind = 'not_helpful' limit 1)`);
  return sql.join(sets, sql` union all `);
}

/** `sourceFigures` of queries.ts: the rolled-up days' latency histograms and the live spans' lookups. */
export async function sourceFiguresWithRollups(
  database: Database,
  from: Date,
  to: Date,
  scope: RollupScope,
): Promise<SourceFigures[]> {
  const { teamId } = scope;
  const plan = planPeriod(from, to, scope.rolled, { subtractAtEnd: true });
  const live = [...plan.added, ...plan.removed];
  const sign = signOf('created_at', plan.removed);
  const [rolled, liveRows] = await Promise.all([
    plan.days.length > 0
      ? database.rows(sql`select source, latency_histogram, errors, hits
          from digest_day_lookups where day = any(${dateArray(plan.days)})${teamKeyOf(teamId)}`)
      : none,
    live.length > 0
      ? database.rows(sql`
          select source, latency_ms, sum(${sign})::int as n,
            coalesce(sum(${sign}) filter (where status <> 'ok'), 0)::int as errors,
            sum(${sign} * hits)::int as hits
          from lookups where ${inSpans('created_at', live)}${aboutQuestionsOf(teamId)}
          group by source, latency_ms`)
      : none,
  ]);
  const bySource: LookupsBySource = new Map();
  const of = (source: string) => {
    const figures = bySource.get(source) ?? { histogram: [], errors: 0, hits: 0 };
    bySource.set(source, figures);
    return figures;
  };
  for (const row of liveRows) {
    const figures = of(String(row.source));
    figures.histogram.push([num(row.latency_ms), num(row.n)]);
    figures.errors += num(row.errors);
    figures.hits += num(row.hits);
  }
  for (const row of rolled) {
    const figures = of(String(row.source));
    figures.histogram.push(...histogramPairs(row.latency_histogram as Uint8Array));
    figures.errors += num(row.errors);
    figures.hits += num(row.hits);
  }
  for (const [source, figures] of bySource) {
    figures.histogram = sumHistogram(figures.histogram);
    // A source whose only lookups were in the part taken away: the live query would not list it.
    if (figures.histogram.length === 0) bySource.delete(source);
  }
  return assembleSourceFigures(bySource);
}
