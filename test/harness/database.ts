import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.js';
import { adminQuery, quoteIdent, withDatabase } from './postgres-admin.js';

export interface TestDatabase extends Database {
  /** The database's URL, for a deskhand process started by the test; undefined on PGlite. */
  readonly url: string | undefined;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file (or one test). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const template = inject('postgresTemplate');
  if (!adminUrl || !template) {
    const database = await openDatabase({ memory: true });
    await database.migrate();
    return Object.assign(database, { url: undefined, drop: () => database.close() });
  }
  const name = `deskhand_t_${randomBytes(6).toString('hex')}`;
  await createFromTemplate(adminUrl, name, template);
  const url = withDatabase(adminUrl, name);
  const database = await openDatabase({ url, maxConnections: 5 });
  return Object.assign(database, {
    url,
    async drop() {
      await database.close();
      await adminQuery(adminUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
    },
  });
}

async function createFromTemplate(adminUrl: string, name: string, template: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(adminUrl, `create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
      return;
    } catch (error) {
      // Two copies of one template at the same instant can collide ("source database is being accessed").
      if (attempt >= 5 || !/being accessed/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}
