import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The drizzle database, the same type whether it runs on postgres.js or PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Any number works as long as every deskhand process agrees on it. */
const MIGRATION_LOCK_KEY = 0x6465736b; // "desk"

export interface Database {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  /** Where the data lives, with no password: for logs and `doctor`. */
  readonly description: string;
  /** Applies pending migrations; with Postgres under an advisory lock so replicas can start together. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a query and migrations are applied. */
  ping(): Promise<void>;
  /** Rows of a raw query, whichever driver runs it. */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres URL; without it an embedded PGlite database under `dataDir` (or in memory with `memory`). */
  url?: string;
  dataDir?: string;
  memory?: boolean;
  /** Connections in the pool (postgres.js only). */
  maxConnections?: number;
}

/** Opens the database deskhand stores everything in: postgres.js when a URL is given, else PGlite. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10);
  return openPglite(options.memory ? undefined : resolve(options.dataDir ?? './.deskhand', 'pgdata'));
}

function openPostgres(url: string, max: number): Database {
  const client = postgres(url, {
    max,
    onnotice: () => {},
    connect_timeout: 10,
    // A restarted server drops idle connections; recycle them rather than failing a query on a dead one.
    idle_timeout: 60,
    max_lifetime: 60 * 30,
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    description: redactUrl(url),
    async migrate() {
      const lockClient = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        try {
          await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
        }
      } finally {
        await lockClient.end({ timeout: 5 });
      }
    },
    async ping() {
      await checkMigrated(db);
    },
    async rows<T extends Record<string, unknown>>(query: SQL) {
      return (await db.execute(query)) as unknown as T[];
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    description: dataDir ? `PGlite in ${dataDir}` : 'PGlite in memory',
    async migrate() {
      // PGlite holds its data directory exclusively, so only one process can ever migrate it.
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    async ping() {
      await checkMigrated(db);
    },
    async rows<T extends Record<string, unknown>>(query: SQL) {
      const result = (await db.execute(query)) as unknown as { rows: T[] };
      return result.rows;
    },
    async close() {
      await client.close();
    },
  };
}

async function checkMigrated(db: Db): Promise<void> {
  await db.execute(sql`select 1 from questions limit 0`);
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
