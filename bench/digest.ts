/**
 * Digest queries over 10 k, 100 k and 1 M questions (with lookups, feedback, tickets and alerts in
 * realistic proportions over a year, generated in SQL), timed as `buildDigest` for 7 and 30 days in
 * the same run on the same database: the live queries (`rollups: false`, the digest before daily
 * rollups), the first digest with no rollups yet (cold: it computes them), and the digest with its
 * rollups in place (warm); plus one count over the same period as a yardstick. The digests of the
 * three ways are compared (JSON, keys sorted): `identical` must say yes.
 * `node bin/run-ts.js bench/digest.ts [--sizes 10000,100000,1000000]` (DATABASE_URL or TEST_DATABASE_URL for Postgres, else PGlite)
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type Database, openDatabase } from '../src/db/client.js';
import { buildDigest } from '../src/digest/index.js';
import { withSortedKeys } from '../test/harness/sorted-keys.js';
import { formatTable, median, type Row, round } from './lib/stats.js';

async function scratchDatabase(
  options: { keep?: boolean; reuse?: string } = {},
): Promise<{ database: Database; drop(): Promise<void>; kind: string; reused: boolean }> {
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (serverUrl && options.reuse) {
    const url = new URL(serverUrl);
    url.pathname = `/${options.reuse}`;
    const database = await openDatabase({ url: url.toString(), maxConnections: 8 });
    await database.migrate();
    return { database, kind: 'Postgres', reused: true, drop: () => database.close() };
  }
  if (!serverUrl) {
    const database = await openDatabase({ memory: true });
    await database.migrate();
    return { database, drop: () => database.close(), kind: 'PGlite', reused: false };
  }
  const name = `deskhand_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), maxConnections: 8 });
  await database.migrate();
  return {
    database,
    kind: 'Postgres',
    reused: false,
    async drop() {
      await database.close();
      if (options.keep) {
        console.error(`kept database ${name} (--reuse ${name} to time it again)`);
        await admin.end();
        return;
      }
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Questions spread over the year before `now`, with related rows in the proportions a team sees. */
export async function generate(database: Database, count: number, now: Date): Promise<void> {
  const end = now.toISOString();
  await database.rows(sql`
    insert into questions (id, created_at, entry_point, text, fingerprint, asker_id, channel_kind, category, urgency, status, found, answer_ms, answered_at)
    select gen_random_uuid(),
      -- Rows arrive in time order in production, so the table is laid out by created_at as here.
      ${end}::timestamptz - ((${count} - i)::float8 / ${count}) * interval '365 days',
      (array['slash','slash','slash','mention','dm','shortcut'])[1 + (i % 6)],
      'question number ' || (i % 5000),
      'question ' || (i % 5000),
      'U' || (i % 2000),
      (array['public','public','public','private','im'])[1 + (i % 5)],
      (array['account','billing','technical','general'])[1 + (i % 4)],
      case when i % 50 = 0 then 'high' else 'normal' end,
      'answered',
      (i % 7) <> 0,
      50 + (i % 900),
      null
    from generate_series(1, ${count}) as i`);
  await database.rows(sql`
    insert into lookups (question_id, created_at, source, status, hits, latency_ms)
    select q.id, q.created_at, s.source, case when random() < 0.02 then 'timeout' else 'ok' end, (random() * 5)::int, (20 + random() * 400)::int
    from questions q cross join (values ('kb'), ('notion'), ('helpscout')) as s(source)`);
  await database.rows(sql`
    insert into feedback (question_id, user_id, kind, created_at)
    select id, asker_id, case when random() < 0.7 then 'solved' else 'not_helpful' end, created_at + interval '2 minutes'
    from questions where random() < 0.3`);
  await database.rows(sql`
    insert into tickets (idempotency_key, question_id, created_at, status, reason, subject, message, priority)
    select 'question:' || id, id, created_at, case when random() < 0.95 then 'created' else 'pending' end,
      case when urgency = 'high' then 'urgent' when found = false then 'no_answer' else 'asked' end, text, text,
      case when urgency = 'high' then 'urgent' else 'normal' end
    from questions where urgency = 'high' or found = false or random() < 0.05`);
  await database.rows(sql`
    insert into alerts (question_id, created_at, channel_id, urgency, category, taken_by, taken_at)
    select id, created_at, 'C0SUPPORT', urgency, category,
      case when random() < 0.9 then 'U1' end, case when random() < 0.9 then created_at + (random() * interval '30 minutes') end
    from questions where urgency = 'high'`);
  // Autovacuum would have run on a year of data: index-only scans need the visibility map it sets.
  await database.rows(sql`vacuum analyze`);
}

async function timed(fn: () => Promise<unknown>, runs = 5): Promise<number> {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Medians of `a` and `b` run alternately (so both see the same load), after a warm-up of each. */
async function timedAlternately(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  runs = 7,
): Promise<[number, number]> {
  await a();
  await b();
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [index, fn] of [a, b].entries()) {
      const started = performance.now();
      await fn();
      samples[index]?.push(performance.now() - started);
    }
  }
  return [median(samples[0]), median(samples[1])];
}

/** Every daily rollup gone (and yesterday's horizon): the state of a database just migrated. */
async function forgetRollups(database: Database): Promise<void> {
  await database.rows(sql`truncate digest_days, digest_dirty_days, digest_day_horizons, digest_day_teams,
    digest_day_questions, digest_day_tickets, digest_day_gaps, digest_day_lookups`);
}

/** Digests compare as JSON whatever order a hash aggregate gave their breakdowns. */
const canonicalJson = (value: unknown): string => JSON.stringify(withSortedKeys(value));

/** The `now` a kept database was generated for: its last question was asked then. */
export async function generatedAt(database: Database): Promise<Date> {
  const [row] = await database.rows(
    sql`select to_char(max(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at from questions`,
  );
  return new Date(String(row?.at));
}

export async function runDigestBench(options: {
  sizes: number[];
  keep?: boolean;
  reuse?: string;
}): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of options.sizes) {
    let now = new Date();
    const { database, drop, kind, reused } = await scratchDatabase(options);
    try {
      if (reused) now = await generatedAt(database);
      else await generate(database, size, now);
      const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
      const baseline = await timed(() =>
        database.rows(sql`select count(*) from questions where created_at >= ${since}::timestamptz`),
      );
      for (const period of ['7d', '30d']) {
        const digest = (rollups: boolean) =>
          buildDigest(database, { since: period, now, includePrivateText: false, rollups });
        // Cold: the first digest after the rollups are gone computes those of its ~2 × period days.
        const cold: number[] = [];
        let computed = 0;
        for (let i = 0; i < 3; i++) {
          await forgetRollups(database);
          const started = performance.now();
          await buildDigest(database, {
            since: period,
            now,
            includePrivateText: false,
            onRollups: (report) => {
              computed = report.computed.length;
            },
          });
          cold.push(performance.now() - started);
        }
        const [liveMs, warmMs] = await timedAlternately(
          () => digest(false),
          () => digest(true),
        );
        const identical = canonicalJson(await digest(false)) === canonicalJson(await digest(true));
        rows.push({
          benchmark: 'digest',
          case: `${size.toLocaleString('en')} questions, ${period} (${kind})`,
          'live ms': round(liveMs, 1),
          'cold ms': round(median(cold), 1),
          'days rolled up cold': computed,
          'warm ms': round(warmMs, 1),
          'warm / live': round(warmMs / liveMs, 2),
          'count(*) 7d ms': round(baseline, 2),
          identical: identical ? 'yes' : 'NO',
        });
      }
    } finally {
      await drop();
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // --keep leaves the generated database in place (its name goes to stderr); --reuse NAME times a
  // kept one again (one size) instead of generating the data anew.
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10000,100000,1000000' },
      keep: { type: 'boolean', default: false },
      reuse: { type: 'string' },
    },
  });
  console.log(
    formatTable(
      await runDigestBench({
        sizes: values.sizes.split(',').map(Number),
        keep: values.keep,
        reuse: values.reuse,
      }),
    ),
  );
  process.exit(0);
}
