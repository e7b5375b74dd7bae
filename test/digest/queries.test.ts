import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/digest.js';
import { percentileFromCounts } from '../../src/digest/percentile.js';
import { parsePeriod } from '../../src/digest/period.js';
import { knowledgeGaps, periodFigures, sourceFigures } from '../../src/digest/queries.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

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
