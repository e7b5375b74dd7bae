import { existsSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/client.js';
import { adminQuery, quoteIdent, withDatabase } from './postgres-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the Postgres server tests create their databases on; undefined means PGlite. */
    postgresAdminUrl: string | undefined;
    /** A migrated database every test database is copied from. */
    postgresTemplate: string | undefined;
    postgresSource: 'TEST_DATABASE_URL' | 'testcontainers' | 'pglite';
  }
}

/**
 * Chooses the Postgres the suite runs against: TEST_DATABASE_URL, else a testcontainers Postgres
 * when a Docker engine answers, else PGlite. Migrates a template database once so each test file
 * gets a fresh copy in milliseconds.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: Array<() => Promise<void>> = [];
  let adminUrl = process.env.TEST_DATABASE_URL || undefined;
  let source: 'TEST_DATABASE_URL' | 'testcontainers' | 'pglite' = adminUrl ? 'TEST_DATABASE_URL' : 'pglite';

  if (!adminUrl && dockerMayAnswer()) {
    try {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const container = await new PostgreSqlContainer('postgres:16-alpine').start();
      adminUrl = container.getConnectionUri();
      source = 'testcontainers';
      cleanups.push(async () => {
        await container.stop();
      });
    } catch (error) {
      console.warn(`testcontainers could not start Postgres (${(error as Error).message}); using PGlite`);
    }
  }

  let template: string | undefined;
  if (adminUrl) {
    template = `deskhand_tmpl_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(adminUrl, `create database ${quoteIdent(template)}`);
    const database = await openDatabase({ url: withDatabase(adminUrl, template), maxConnections: 1 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    const url = adminUrl;
    const name = template;
    cleanups.push(() => adminQuery(url, `drop database if exists ${quoteIdent(name)} with (force)`));
  }
  console.log(
    `tests run against ${source === 'pglite' ? 'PGlite (set TEST_DATABASE_URL for a real Postgres)' : `Postgres from ${source}`}`,
  );

  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplate', template);
  project.provide('postgresSource', source);

  return async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
}

function dockerMayAnswer(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}
