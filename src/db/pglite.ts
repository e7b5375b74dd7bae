import { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { checkMigrated, type Database, type Db, MIGRATIONS_FOLDER } from './client.js';
import * as schema from './schema/index.js';

/**
 * PGlite in memory: for tests and benchmarks on a machine with no Postgres server. PGlite is a
 * devDependency; deskhand itself never loads this file (its default is the embedded PostgreSQL).
 */
export async function openPglite(): Promise<Database> {
  const client = new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    description: 'PGlite in memory',
    async migrate() {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
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
