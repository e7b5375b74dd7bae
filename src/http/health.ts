import type { Registry } from 'prom-client';
import type { Database } from '../db/client.js';
import { type Route, sendJson } from './server.js';

export interface ReadinessState {
  shuttingDown: boolean;
  /** Why the migrations are not applied yet (the database was unreachable at start); undefined once they are. */
  migrations?: string;
}

/** `/healthz` (the process answers), `/readyz` (database reachable and migrated), `/metrics` (Prometheus). */
export function healthRoutes(database: Database, metrics: Registry, state: ReadinessState): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: async (_req, res) => {
        const failing: Record<string, string> = {};
        if (state.shuttingDown) failing.process = 'shutting down';
        if (state.migrations) failing.migrations = state.migrations;
        try {
          await withTimeout(database.ping(), 2_000);
        } catch (error) {
          failing.database = describeDatabaseError(error);
        }
        if (Object.keys(failing).length > 0) sendJson(res, 503, { status: 'not_ready', failing });
        else
          sendJson(res, 200, {
            status: 'ready',
            database: 'ok',
            engine: database.kind,
            migrations: 'applied',
          });
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req, res) => {
        const body = await metrics.metrics();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(body);
      },
    },
  ];
}

function describeDatabaseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/relation .* does not exist/.test(message))
    return 'migrations not applied (run `npx deskhand migrate`)';
  return `unreachable: ${message}`;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
