import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase, redactUrl } from '../../src/db/client.js';
import { questions } from '../../src/db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';

describe('the database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('has every table of the design after migrating', async () => {
    const rows = await database.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((row) => row.table_name)).toEqual(
      expect.arrayContaining([
        'alerts',
        'cron_runs',
        'feedback',
        'lookups',
        'questions',
        'slack_events',
        'tickets',
        'tool_calls',
      ]),
    );
  });

  it('answers ping once migrated, and stores a question', async () => {
    await database.ping();
    const id = crypto.randomUUID();
    await database.db
      .insert(questions)
      .values({ id, entryPoint: 'cli', text: 'How do I reset my password?', askerId: 'U1' });
    const [row] = await database.db.select().from(questions).where(sql`${questions.id} = ${id}`);
    expect(row?.text).toBe('How do I reset my password?');
    expect(row?.status).toBe('received');
  });

  it('migrates again without error (migrations are idempotent)', async () => {
    await database.migrate();
    await database.ping();
  });
});

describe('migrating from two processes at once', () => {
  it('applies migrations once under the advisory lock', async () => {
    const probe = await createTestDatabase();
    if (!probe.url) {
      await probe.drop();
      return; // PGlite holds its directory exclusively; there is no second process to race.
    }
    // A fresh empty database, migrated by two connections racing.
    const url = probe.url;
    await probe.db.execute(sql`drop schema public cascade`);
    await probe.db.execute(sql`create schema public`);
    await probe.db.execute(sql`drop schema if exists drizzle cascade`);
    const [first, second] = await Promise.all([openDatabase({ url }), openDatabase({ url })]);
    await Promise.all([first.migrate(), second.migrate()]);
    const applied = await first.rows<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    expect(applied[0]?.n).toBe(journal.entries.length);
    await Promise.all([first.close(), second.close()]);
    await probe.drop();
  });

  it('never shows a password in its description', () => {
    expect(redactUrl('postgres://deskhand:s3cret@db:5432/deskhand')).toBe(
      'postgres://deskhand:***@db:5432/deskhand',
    );
  });
});
