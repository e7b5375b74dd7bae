import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/digest.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { buildDigest } from '../../src/digest/build.js';
import { parsePeriod } from '../../src/digest/period.js';
import { periodFigures } from '../../src/digest/queries.js';
import { periodFiguresWithRollups } from '../../src/digest/rollup-queries.js';
import {
  computeDay,
  DAY_MS,
  dayKey,
  daysTouching,
  ensureRollups,
  planPeriod,
} from '../../src/digest/rollups.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { withSortedKeys } from '../harness/sorted-keys.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const DAY = '2026-11-12';

describe('planning a period', () => {
  const at = (text: string) => new Date(text);
  const rolled = new Set(['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']);

  it('reads whole days from rollups and the rest live', () => {
    const plan = planPeriod(at('2026-11-20T15:00:00Z'), at('2026-11-24T09:00:00Z'), rolled, {
      subtractAtEnd: true,
    });
    // The first day is mostly outside the period (15 h of 24): live; the last has no rollup.
    expect(plan.days).toEqual(['2026-11-21', '2026-11-22', '2026-11-23']);
    expect(plan.added).toEqual([
      [at('2026-11-20T15:00:00Z'), at('2026-11-21T00:00:00Z')],
      [at('2026-11-24T00:00:00Z'), at('2026-11-24T09:00:00Z')],
    ]);
    expect(plan.removed).toEqual([]);
  });

  it('reads an edge day mostly inside the period as its rollup less the rest', () => {
    const plan = planPeriod(at('2026-11-20T03:00:00Z'), at('2026-11-22T20:00:00Z'), rolled, {
      subtractAtEnd: true,
    });
    expect(plan.days).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(plan.added).toEqual([]);
    expect(plan.removed).toEqual([
      [at('2026-11-20T00:00:00Z'), at('2026-11-20T03:00:00Z')],
      [at('2026-11-22T20:00:00Z'), at('2026-11-23T00:00:00Z')],
    ]);
    expect(plan.cutStart).toEqual({ day: '2026-11-20', at: at('2026-11-20T03:00:00Z') });
    // The knowledge gaps never take the end of a day away (its latest examples may be after it).
    const gaps = planPeriod(at('2026-11-20T03:00:00Z'), at('2026-11-22T20:00:00Z'), rolled, {
      subtractAtEnd: false,
    });
    expect(gaps.days).toEqual(['2026-11-20', '2026-11-21']);
    expect(gaps.added).toEqual([[at('2026-11-22T00:00:00Z'), at('2026-11-22T20:00:00Z')]]);
  });

  it('reads live a period inside one day, and the days without a rollup', () => {
    expect(
      planPeriod(at('2026-11-21T01:00:00Z'), at('2026-11-21T23:00:00Z'), rolled, { subtractAtEnd: true }),
    ).toEqual({ days: [], added: [[at('2026-11-21T01:00:00Z'), at('2026-11-21T23:00:00Z')]], removed: [] });
    expect(
      planPeriod(at('2026-11-10T00:00:00Z'), at('2026-11-21T00:00:00Z'), rolled, { subtractAtEnd: true }),
    ).toEqual({
      days: ['2026-11-20'],
      added: [[at('2026-11-10T00:00:00Z'), at('2026-11-20T00:00:00Z')]],
      removed: [],
    });
  });
});

/**
 * A transaction on `on` that runs `work`, then stays open until `commit()`: `started` resolves once
 * `work` is done.
 */
function openTransaction(on: Database, work: (inTransaction: Database) => Promise<unknown>) {
  let commit: () => void = () => {};
  const committing = new Promise<void>((resolve) => {
    commit = resolve;
  });
  let started: () => void = () => {};
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const done = on.db.transaction(async (tx) => {
    await work({ ...on, rows: async (query) => (await tx.execute(query)) as never });
    started();
    await committing;
  });
  return {
    started: Promise.race([running, done]),
    async commit() {
      commit();
      await done;
    },
  };
}

/**
 * Waits until some connection to this database waits for a lock (a writer blocked on a mark), or
 * `unless` has settled.
 */
async function someoneWaits(database: Database, unless?: Promise<unknown>): Promise<void> {
  let settled = false;
  void unless?.finally(() => {
    settled = true;
  });
  for (let attempt = 0; attempt < 200 && !settled; attempt++) {
    const [row] = await database.rows<{ n: number }>(sql`select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`);
    if ((row?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!settled) throw new Error('no connection ever waited for a lock');
}

describe('a day recomputed while late rows are written', () => {
  let database: TestDatabase;
  let writer: Database | undefined;
  const period = parsePeriod('30d', NOW);
  const isDirty = async () => {
    const [row] = await database.rows<{ dirty: boolean }>(
      sql`select exists (select 1 from digest_dirty_days where day = ${DAY}::date) as dirty`,
    );
    return row?.dirty === true;
  };
  // Whether the day's rollup, trusted as it is, gives the live figures.
  const rollupIsExact = async () =>
    JSON.stringify(
      withSortedKeys(
        await periodFiguresWithRollups(database, period.from, period.to, { rolled: new Set([DAY]) }),
      ),
    ) === JSON.stringify(withSortedKeys(await periodFigures(database, period.from, period.to)));
  /** Not helpful, from a new user, on one of the day's questions: changes the day's figures. */
  const lateFeedback = (on: Database, user: string) =>
    on.rows(sql`insert into feedback (question_id, user_id, kind)
      select id, ${user}, 'not_helpful' from questions q
      where (created_at at time zone 'UTC')::date = ${DAY}::date
        and not exists (select 1 from feedback f where f.question_id = q.id and f.kind = 'not_helpful')
      order by id limit 1`);
  /** A committed late write, so the day has a mark a later writer updates (and locks). */
  const markTheDay = async () => {
    await database.rows(
      sql`insert into digest_dirty_days (day) values (${DAY}::date) on conflict do nothing`,
    );
    expect(await isDirty()).toBe(true);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.url) writer = await openDatabase({ url: database.url, maxConnections: 2 });
    await generate(database, 2_000, NOW);
    const report = await ensureRollups(database, daysTouching(period.previousFrom, period.to));
    expect(report.computed).toContain(DAY);
  }, 120_000);
  afterAll(async () => {
    await writer?.close();
    await database.drop();
  });

  it('waits for a writer that marked the day first, then includes its row', async (context) => {
    if (!writer) return context.skip(); // PGlite has one connection: no second writer to race
    const late = writer;
    await markTheDay();
    // The writer's trigger updates the existing mark: it holds the mark's row lock until it commits.
    const writing = openTransaction(late, (tx) => lateFeedback(tx, 'URACE1'));
    await writing.started;
    const recomputing = computeDay(database, DAY);
    await someoneWaits(database, recomputing); // its delete of the mark waits for the writer
    await writing.commit();
    expect(await recomputing).toBe(true);
    // Either the rollup includes the write, or the day is left marked; here it includes it.
    expect((await isDirty()) || (await rollupIsExact())).toBe(true);
    expect(await isDirty()).toBe(false);
    expect(await rollupIsExact()).toBe(true);
  });

  it('leaves the day marked when a writer comes while the day is being read', async (context) => {
    if (!writer) return context.skip();
    const late = writer;
    await markTheDay();
    let writing: Promise<unknown> = Promise.resolve();
    const recomputed = await computeDay(database, DAY, {
      afterUnmark: async () => {
        // The mark is deleted (uncommitted): the writer's row is stored, its mark waits for the
        // recomputation to commit, which reads the day without that row.
        writing = lateFeedback(late, 'URACE2');
        await someoneWaits(database);
      },
    });
    await writing;
    expect(recomputed).toBe(true);
    expect(await isDirty()).toBe(true);
    expect(await rollupIsExact()).toBe(false); // stale, and marked so
    let computed: string[] = [];
    const options = { since: '30d', now: NOW, includePrivateText: true } as const;
    const rolled = await buildDigest(database, {
      ...options,
      onRollups: (report) => {
        computed = report.computed;
      },
    });
    expect(computed).toEqual([DAY]);
    expect(withSortedKeys(rolled.current)).toEqual(
      withSortedKeys((await buildDigest(database, { ...options, rollups: false })).current),
    );
    expect(await isDirty()).toBe(false);
  });

  it('keeps the mark of a writer that marked a clean day first and commits after', async (context) => {
    if (!writer) return context.skip();
    const late = writer;
    await ensureRollups(database, [DAY]);
    expect(await isDirty()).toBe(false);
    // A fresh mark, not committed: invisible to the recomputation, which finds the day clean.
    const writing = openTransaction(late, (tx) => lateFeedback(tx, 'URACE3'));
    await writing.started;
    expect((await ensureRollups(database, [DAY])).usable).toContain(DAY);
    await writing.commit();
    expect(await isDirty()).toBe(true);
    expect((await ensureRollups(database, [DAY])).computed).toEqual([DAY]);
    expect(await rollupIsExact()).toBe(true);
  });
});

describe("yesterday's rollup", () => {
  let database: TestDatabase;
  let writer: Database | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.url) writer = await openDatabase({ url: database.url, maxConnections: 1 });
    await generate(database, 500, new Date());
  }, 120_000);
  afterAll(async () => {
    await writer?.close();
    await database.drop();
  });

  it('waits until every transaction open when yesterday ended has ended', async (context) => {
    if (!writer) return context.skip();
    const late = writer;
    // By the database clock, as the triggers.
    const [clock] = await database.rows<{ today: string }>(
      sql`select to_char((clock_timestamp() at time zone 'UTC')::date, 'YYYY-MM-DD') as today`,
    );
    const today = Date.parse(`${clock?.today}T00:00:00Z`);
    const yesterday = dayKey(today - DAY_MS);
    // A transaction with an id, as one writing a row of yesterday just before midnight would be.
    const open = openTransaction(late, (tx) => tx.rows(sql`select pg_current_xact_id()`));
    await open.started;
    const first = await ensureRollups(database, [yesterday, dayKey(today)]);
    expect(first.live).toEqual([yesterday, dayKey(today)].sort());
    await open.commit();
    // Other transactions of the server may still be running for a moment.
    await expect
      .poll(async () => (await ensureRollups(database, [yesterday])).usable.has(yesterday), {
        timeout: 10_000,
      })
      .toBe(true);
    expect((await ensureRollups(database, [dayKey(today)])).live).toEqual([dayKey(today)]);
  });
});
