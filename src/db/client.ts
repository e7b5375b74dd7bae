import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SQL, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import type { AppConfig } from '../config/env.js';
import type { EmbeddedPostgresLog } from './embedded-postgres.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The drizzle database, the same type whether it runs on postgres.js or PGlite. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

const EMBEDDED_POOL_SIZE = 3;

/** Any number works as long as every deskhand process agrees on it. */
const MIGRATION_LOCK_KEY = 0x6465736b; // "desk"

export interface Database {
  readonly db: Db;
  /** `postgres`: DATABASE_URL; `embedded`: the PostgreSQL under `./.deskhand/`; `pglite`: in memory (tests). */
  readonly kind: 'postgres' | 'embedded' | 'pglite';
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
  /** Postgres URL; without it the embedded PostgreSQL under `dataDir`, shared with other deskhand processes. */
  url?: string;
  dataDir?: string;
  /** Fixed port for the embedded server; unset picks a free one. */
  embeddedPort?: number;
  /** PGlite in memory, for tests and benchmarks that need no server (PGlite is a devDependency). */
  memory?: boolean;
  /** Connections in the pool (postgres.js only). */
  maxConnections?: number;
  /** Progress of the embedded server (created, started, stopped; found stopped and started again). */
  log?: EmbeddedPostgresLog;
}

/**
 * The database the configuration names: DATABASE_URL, else the embedded server under
 * DESKHAND_DATA_DIR, whose progress goes to `logger` (a server found stopped at warn).
 */
export function openConfiguredDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir' | 'embeddedDbPort'>,
  logger?: { info(message: string): void; warn(message: string): void },
): Promise<Database> {
  return openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    embeddedPort: config.embeddedDbPort,
    log: logger && ((message, level = 'info') => logger[level](message)),
  });
}

/** Opens the database deskhand stores everything in: DATABASE_URL's server, else the embedded one. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url)
    return openPostgres(options.url, options.maxConnections ?? 10, {
      kind: 'postgres',
      description: redactUrl(options.url),
    });
  if (options.memory) {
    const { openPglite } = await import('./pglite.js');
    return openPglite();
  }
  const dataDir = resolve(options.dataDir ?? './.deskhand');
  if (existsSync(join(dataDir, 'pgdata', 'PG_VERSION')))
    options.log?.(
      `${join(dataDir, 'pgdata')} holds a database of an older deskhand (PGlite); it is no longer read and can be deleted`,
    );
  const { joinEmbeddedPostgres } = await import('./embedded-postgres.js');
  const server = await joinEmbeddedPostgres({
    dir: join(dataDir, 'postgres'),
    port: options.embeddedPort,
    log: options.log,
  });
  const where = relative(process.cwd(), server.dataDir) || server.dataDir;
  // Each connection is a PostgreSQL process of about 16 MB: the embedded default is for one small bot.
  return openPostgres(server.url, options.maxConnections ?? EMBEDDED_POOL_SIZE, {
    kind: 'embedded',
    description:
      `embedded PostgreSQL ${server.version} in ${where.startsWith('..') ? server.dataDir : where} on 127.0.0.1:${server.port}` +
      (server.startedHere
        ? ', started by this process'
        : ', shared with the deskhand process that started it'),
    onClose: () => server.release(),
  });
}

interface PostgresIdentity {
  kind: 'postgres' | 'embedded';
  description: string;
  /** After the pool has closed: the embedded server is left (and stopped by the last process). */
  onClose?: () => Promise<void>;
}

function openPostgres(url: string, max: number, identity: PostgresIdentity): Database {
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
    kind: identity.kind,
    description: identity.description,
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
      try {
        await client.end({ timeout: 5 });
      } finally {
        await identity.onClose?.();
      }
    },
  };
}

export async function checkMigrated(db: Db): Promise<void> {
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
