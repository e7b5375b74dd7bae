import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/digest.js';
import { buildDigest, type DigestOptions } from '../../src/digest/build.js';
import { percentileFromCounts } from '../../src/digest/percentile.js';
import { parsePeriod } from '../../src/digest/period.js';
import { knowledgeGaps, periodFigures, sourceFigures } from '../../src/digest/queries.js';
import { knowledgeGapsWithRollups, periodFiguresWithRollups } from '../../src/digest/rollup-queries.js';
import { dayKey, type RollupReport } from '../../src/digest/rollups.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { withSortedKeys } from '../harness/sorted-keys.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

// The digest's figures by their plain definition (per-question subqueries, percentile_cont over
// every row): the faster query shapes must give exactly these.
async function referenceTotals(database: TestDatabase, from: Date, to: Date) {
  const [row] = await database.rows<Record<string, unknown>>(sql`
    select count(*)::int as n,
      percentile_cont(0.5) within group (order by q.answer_ms)::float8 as p50,
      percentile_cont(0.9) within group (order by q.answer_ms)::float8 as p90,
      count(*) filter (where exists (select 1 from feedback f where f.question_id = q.id and f.kind = 'solved')
        and not exists (select 1 from tickets t where t.question_id = q.id))::int as deflected,
      count(*) filter (where exists (select 1 from feedback f where f.question_id = q.id and f.kind = 'not_helpful'))::int as not_helpful
    from questions q where q.created_at >= ${at(from)} and q.created_at < ${at(to)}`);
  return {
    questions: Number(row?.n),
    deflected: Number(row?.deflected),
    notHelpful: Number(row?.not_helpful),
    answerMs: {
      p50: row?.p50 === null ? undefined : Math.round(Number(row?.p50)),
      p90: row?.p90 === null ? undefined : Math.round(Number(row?.p90)),
    },
  };
}

async function referenceGaps(database: TestDatabase, from: Date, to: Date) {
  const rows = await database.rows<Record<string, unknown>>(sql`
    select q.fingerprint, count(*)::int as n
    from questions q
    where q.created_at >= ${at(from)} and q.created_at < ${at(to)}
      and (q.found = false or exists (select 1 from feedback f where f.question_id = q.id and f.kind = 'not_helpful'))
    group by q.fingerprint order by n desc, q.fingerprint asc limit 10`);
  return rows.map((row) => Number(row.n));
}

async function referenceSources(database: TestDatabase, from: Date, to: Date) {
  const rows = await database.rows<Record<string, unknown>>(sql`
    select source, count(*)::int as calls, count(*) filter (where status <> 'ok')::int as errors,
      percentile_cont(0.5) within group (order by latency_ms)::float8 as p50,
      percentile_cont(0.95) within group (order by latency_ms)::float8 as p95,
      sum(hits)::int as hits
    from lookups where created_at >= ${at(from)} and created_at < ${at(to)}
    group by source order by source`);
  return rows.map((row) => ({
    source: String(row.source),
    calls: Number(row.calls),
    errorRate: Number(row.errors) / Number(row.calls),
    p50Ms: Math.round(Number(row.p50)),
    p95Ms: Math.round(Number(row.p95)),
    hitsPerQuestion: Math.round((Number(row.hits) / Number(row.calls)) * 10) / 10,
  }));
}

describe('the digest queries', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await generate(database, 4_000, NOW);
    // Feedback and tickets that came days after the question, and some stamped hours before it
    // by a database clock behind the app's: the figures must still count them.
    await database.rows(
      sql`update feedback set created_at = created_at + interval '9 days' where id % 3 = 0`,
    );
    await database.rows(
      sql`update feedback set created_at = created_at - interval '20 minutes' where id % 7 = 0`,
    );
    await database.rows(sql`update tickets set created_at = created_at + interval '4 days' where id % 4 = 0`);
    await database.rows(
      sql`update tickets set created_at = created_at - interval '15 minutes' where id % 5 = 0`,
    );
    // Questions asked just after a period starts whose feedback was stamped before it.
    for (const since of ['1d', '7d', '30d']) {
      const period = parsePeriod(since, NOW);
      for (const start of [period.from, period.previousFrom]) {
        const asked = new Date(start.getTime() + 60_000);
        const early = new Date(start.getTime() - 10 * 60_000);
        const [row] = await database.rows<{ id: string }>(sql`
          insert into questions (id, created_at, entry_point, text, fingerprint, asker_id, channel_kind, found, answer_ms, status)
          values (gen_random_uuid(), ${at(asked)}, 'slash', 'skewed clock', 'skewed clock', 'U1', 'public', true, 100, 'answered')
          returning id`);
        await database.rows(sql`insert into feedback (question_id, user_id, kind, created_at)
          values (${row?.id}::uuid, 'U1', 'not_helpful', ${at(early)}), (${row?.id}::uuid, 'U2', 'solved', ${at(early)})`);
      }
    }
  }, 120_000);
  afterAll(async () => {
    await database.drop();
  });

  for (const since of ['1d', '7d', '30d']) {
    it(`gives exactly the plain definition's figures over ${since} and the period before`, async () => {
      const period = parsePeriod(since, NOW);
      for (const [from, to] of [
        [period.from, period.to],
        [period.previousFrom, period.from],
      ] as const) {
        const figures = await periodFigures(database, from, to);
        const reference = await referenceTotals(database, from, to);
        expect(reference.questions).toBeGreaterThan(0);
        expect({
          questions: figures.questions,
          deflected: figures.deflected,
          notHelpful: figures.notHelpful,
          answerMs: figures.answerMs,
        }).toEqual(reference);
      }
      const gaps = await knowledgeGaps(database, period.from, period.to, true);
      expect(gaps.map((gap) => gap.count)).toEqual(await referenceGaps(database, period.from, period.to));
      expect(await sourceFigures(database, period.from, period.to)).toEqual(
        await referenceSources(database, period.from, period.to),
      );
    });
  }
});

describe('percentiles from a histogram', () => {
  it("match Postgres's percentile_cont on the rows the histogram counts", async () => {
    const database = await createTestDatabase();
    try {
      const values = Array.from({ length: 301 }, (_, i) => (i * 7919) % 97);
      const histogram = new Map<number, number>();
      for (const value of values) histogram.set(value, (histogram.get(value) ?? 0) + 1);
      for (const fraction of [0, 0.1, 0.5, 0.9, 0.95, 0.99, 1]) {
        const [row] = await database.rows<{ p: number }>(sql`
          select percentile_cont(${fraction}::float8) within group (order by v)::float8 as p
          from unnest(${`{${values.join(',')}}`}::int[]) as v`);
        expect(percentileFromCounts([...histogram], fraction)).toBeCloseTo(Number(row?.p), 9);
      }
      expect(percentileFromCounts([], 0.5)).toBeUndefined();
    } finally {
      await database.drop();
    }
  });
});

/** The digest read from the rollups, and the live one (the queries checked above) it must equal. */
async function bothWays(database: TestDatabase, options: Omit<DigestOptions, 'rollups' | 'onRollups'>) {
  const live = await buildDigest(database, { ...options, rollups: false });
  let report: RollupReport | undefined;
  const rolled = await buildDigest(database, {
    ...options,
    onRollups: (seen) => {
      report = seen;
    },
  });
  return { live: withSortedKeys(live), rolled: withSortedKeys(rolled), report: report as RollupReport };
}

const TEAMS = [undefined, 'T1', 'T2'];
const num = (value: unknown) => Number(value ?? 0);

/** Spreads the generated questions over two workspaces, and a few with none. */
async function splitIntoTeams(database: TestDatabase) {
  await database.rows(sql`update questions set team_id = case
      when ascii(substr(id::text, 1, 1)) % 5 = 0 then null
      when ascii(substr(id::text, 2, 1)) % 2 = 0 then 'T1' else 'T2' end`);
}

describe('the digest read from daily rollups', () => {
  let database: TestDatabase;
  // Old enough to be rolled up by the database clock, whatever day the suite runs.
  const asked = (days: number, hours = 0) => new Date(NOW.getTime() - days * 86_400_000 - hours * 3_600_000);
  beforeAll(async () => {
    database = await createTestDatabase();
    await generate(database, 4_000, NOW);
    await splitIntoTeams(database);
    await database.rows(
      sql`update feedback set created_at = created_at + interval '9 days' where id % 3 = 0`,
    );
    await database.rows(
      sql`update feedback set created_at = created_at - interval '20 minutes' where id % 7 = 0`,
    );
    await database.rows(sql`update tickets set created_at = created_at + interval '4 days' where id % 4 = 0`);
  }, 120_000);
  afterAll(async () => {
    await database.drop();
  });

  it('gives the live digest exactly, for every period, time of day and workspace', async () => {
    // Periods ending at midnight, and at times whose first and last days are mostly inside the
    // period (read from their rollup less the rest) or mostly outside (read live).
    for (const hours of [0, 3, 9, 20.5]) {
      const now = new Date(Date.UTC(2026, 10, 23) + hours * 3_600_000);
      for (const since of ['1d', '7d', '30d']) {
        for (const teamId of TEAMS) {
          for (const includePrivateText of teamId ? [false] : [false, true]) {
            const { live, rolled, report } = await bothWays(database, {
              since,
              now,
              includePrivateText,
              teamId,
            });
            expect(rolled, `${since} at ${now.toISOString()} for ${teamId ?? 'every team'}`).toEqual(live);
            if (since !== '1d') expect(report.usable.size).toBeGreaterThan(7);
          }
        }
      }
    }
    const [days] = await database.rows<{ n: number }>(sql`select count(*)::int as n from digest_days`);
    expect(days?.n).toBeGreaterThanOrEqual(60);
  });

  it('recomputes a rolled-up day that late writes made dirty, and is exact again', async () => {
    const options = { since: '30d', now: NOW, includePrivateText: true } as const;
    const day = dayKey(Date.UTC(2026, 10, 12));
    const dayStart = new Date(`${day}T00:00:00Z`);
    const inDay = sql`created_at >= ${dayStart.toISOString()}::timestamptz
      and created_at < ${dayStart.toISOString()}::timestamptz + interval '1 day'`;
    const period = parsePeriod('30d', NOW);
    // What the digest would give if it trusted the rollup it has for the day.
    const trustingTheRollup = async () =>
      withSortedKeys({
        figures: await periodFiguresWithRollups(database, period.from, period.to, { rolled: new Set([day]) }),
        gaps: await knowledgeGapsWithRollups(database, period.from, period.to, true, 5_000, {
          rolled: new Set([day]),
        }),
      });
    const live = async () =>
      withSortedKeys({
        figures: await periodFigures(database, period.from, period.to),
        gaps: await knowledgeGaps(database, period.from, period.to, true, 5_000),
      });
    const isDirty = async () => {
      const [state] = await database.rows<{ dirty: boolean }>(
        sql`select exists (select 1 from digest_dirty_days where day = ${day}::date) as dirty`,
      );
      return state?.dirty;
    };
    const lateWrites: Array<[string, () => Promise<unknown>]> = [
      [
        'feedback on an old question',
        () =>
          database.rows(sql`insert into feedback (question_id, user_id, kind)
            select id, 'ULATE', kind from (select id from questions where ${inDay} and found order by id limit 3) q,
              (values ('solved'), ('not_helpful')) as k(kind)`),
      ],
      [
        'a ticket on an old question marked Solved',
        () =>
          database.rows(sql`insert into tickets (idempotency_key, question_id, subject, message, status)
            select 'late:' || q.id, q.id, 'late', 'late', 'pending' from questions q
            where q.id in (select id from questions where ${inDay})
              and exists (select 1 from feedback f where f.question_id = q.id and f.kind = 'solved')
              and not exists (select 1 from tickets t where t.question_id = q.id)
            limit 2`),
      ],
      [
        "an old ticket's status changing",
        () =>
          database.rows(sql`update tickets set status = 'failed', priority = 'high'
            where id in (select id from tickets where ${inDay} order by id limit 3)`),
      ],
      [
        'a spooled question and its lookups stored days later',
        async () => {
          const [row] = await database.rows<{ id: string }>(sql`
            insert into questions (id, created_at, entry_point, text, fingerprint, asker_id, team_id, channel_kind,
              category, status, found, answer_ms)
            values (gen_random_uuid(), ${dayStart.toISOString()}::timestamptz + interval '13 hours', 'cli',
              'spooled while the database was away', 'away database spooled', 'U9', 'T1', 'public', 'billing',
              'answered', false, 4321)
            returning id`);
          await database.rows(sql`insert into lookups (question_id, created_at, source, status, hits, latency_ms)
            values (${row?.id}::uuid, ${dayStart.toISOString()}::timestamptz + interval '13 hours', 'kb', 'error', 0, 9999),
              (${row?.id}::uuid, ${dayStart.toISOString()}::timestamptz + interval '13 hours', 'notion', 'ok', 4, 777)`);
        },
      ],
      [
        'an old question marked failed',
        () =>
          database.rows(sql`update questions set status = 'failed', found = false
            where id in (select id from questions q where ${inDay} and found
              and not exists (select 1 from feedback f where f.question_id = q.id and f.kind = 'not_helpful')
              order by id limit 2)`),
      ],
      [
        'an old question moved to another workspace',
        () =>
          database.rows(sql`update questions set team_id = 'T2'
            where id in (select id from questions where ${inDay} and team_id = 'T1' order by id limit 2)`),
      ],
      ['feedback taken back', () => database.rows(sql`delete from feedback where user_id = 'ULATE'`)],
    ];
    await bothWays(database, options); // every day of the period rolled up
    for (const [what, write] of lateWrites) {
      await write();
      expect(await isDirty(), what).toBe(true);
      if (what !== 'an old question moved to another workspace')
        expect(await trustingTheRollup(), `${what}: the rollup is stale until recomputed`).not.toEqual(
          await live(),
        );
      for (const teamId of TEAMS) {
        const { live: expected, rolled, report } = await bothWays(database, { ...options, teamId });
        expect(rolled, `${what}, ${teamId ?? 'every team'}`).toEqual(expected);
        if (teamId === undefined && what === 'an old question moved to another workspace') {
          // Its tickets (filed days later, for some of the generated questions) move along, and
          // mark their own days too.
          expect(report.computed, what).toContain(day);
          for (const other of report.computed) expect(other >= day, what).toBe(true);
        } else if (teamId === undefined) expect(report.computed, what).toEqual([day]);
      }
      expect(await isDirty(), what).toBe(false);
      expect(await trustingTheRollup(), what).toEqual(await live());
    }
  });

  it("marks no day for today's writes (the hot path)", async () => {
    const [before] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from digest_dirty_days`,
    );
    const [row] = await database.rows<{ id: string }>(sql`
      insert into questions (id, entry_point, text, fingerprint, asker_id, channel_kind, status)
      values (gen_random_uuid(), 'slash', 'asked just now', 'asked just now', 'U1', 'public', 'received')
      returning id`);
    await database.rows(sql`update questions set status = 'answered', answer_ms = 120, found = true
      where id = ${row?.id}::uuid`);
    await database.rows(sql`insert into lookups (question_id, source, status, hits, latency_ms)
      values (${row?.id}::uuid, 'kb', 'ok', 1, 12)`);
    await database.rows(
      sql`insert into feedback (question_id, user_id, kind) values (${row?.id}::uuid, 'U1', 'solved')`,
    );
    await database.rows(sql`insert into tickets (idempotency_key, question_id, subject, message)
      values ('now:' || ${row?.id}, ${row?.id}::uuid, 'now', 'now')`);
    await database.rows(sql`update tickets set status = 'created' where question_id = ${row?.id}::uuid`);
    const [after] = await database.rows<{ n: number }>(sql`select count(*)::int as n from digest_dirty_days`);
    expect(after?.n).toBe(before?.n);
    // A question of two weeks ago answered only now (a spooled answer) marks its own day.
    const [old] = await database.rows<{ id: string; day: string }>(sql`
      select id, to_char((created_at at time zone 'UTC')::date, 'YYYY-MM-DD') as day from questions
      where created_at < ${asked(14).toISOString()}::timestamptz order by created_at desc limit 1`);
    await database.rows(sql`update questions set answer_ms = answer_ms + 1 where id = ${old?.id}::uuid`);
    const marked = await database.rows<{ day: string }>(
      sql`select to_char(day, 'YYYY-MM-DD') as day from digest_dirty_days`,
    );
    expect(marked.map((row) => row.day)).toContain(old?.day);
    expect(marked).toHaveLength(num(before?.n) + 1);
  });
});

describe('the digest read from daily rollups, up to now', () => {
  let database: TestDatabase;
  // The last days are live (today) or rolled up once the transactions of their time have ended
  // (yesterday), and their feedback is read from its own date: by the real clock.
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  beforeAll(async () => {
    database = await createTestDatabase();
    await generate(database, 3_000, now);
    await splitIntoTeams(database);
    await database.rows(
      sql`update feedback set created_at = created_at + interval '30 hours' where id % 3 = 0 and created_at < now() - interval '2 days'`,
    );
  }, 120_000);
  afterAll(async () => {
    await database.drop();
  });

  it('gives the live digest exactly', async () => {
    const dayBeforeYesterday = dayKey(Math.floor(now.getTime() / 86_400_000 - 2) * 86_400_000);
    for (const since of ['1d', '7d', '30d']) {
      for (const teamId of TEAMS) {
        const { live, rolled, report } = await bothWays(database, {
          since,
          now,
          includePrivateText: false,
          teamId,
        });
        expect(rolled, `${since} for ${teamId ?? 'every team'}`).toEqual(live);
        if (since !== '1d') expect(report.usable).toContain(dayBeforeYesterday);
      }
    }
  });
});
