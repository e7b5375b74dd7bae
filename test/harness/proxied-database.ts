import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export interface DatabaseBehindProxy {
  readonly database: TestDatabase;
  /** Undefined without a Postgres server (PGlite runs in-process: there is nothing to cut). */
  readonly proxy: TcpProxy | undefined;
  /** The database's URL through the proxy, for a pool the test can cut off; undefined without a server. */
  readonly urlViaProxy: string | undefined;
}

/**
 * A test database with a loopback proxy in front of it that a test can cut and restore, for the
 * enclosing describe block: created before its tests, dropped after them.
 */
export function useDatabaseBehindProxy(): DatabaseBehindProxy {
  let database: TestDatabase | undefined;
  let proxy: TcpProxy | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    if (database.url) {
      const target = new URL(database.url);
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    }
  });
  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });
  return {
    get database() {
      if (!database) throw new Error('the test database is created in beforeAll');
      return database;
    },
    get proxy() {
      return proxy;
    },
    get urlViaProxy() {
      if (!proxy || !database?.url) return undefined;
      const url = new URL(database.url);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      return url.toString();
    },
  };
}
