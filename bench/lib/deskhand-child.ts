import { type ChildProcess, fork } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const RUN_TS = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
const ENTRY = fileURLToPath(new URL('./deskhand-process.ts', import.meta.url));

/** A running deskhand process (see deskhand-process.ts) and the handles a benchmark needs. */
export interface DeskhandChild {
  url: string;
  pid: number;
  /** Starts recording a CPU profile of the main process. */
  startProfile(): Promise<void>;
  /** Stops the profile and writes it (`.cpuprofile`, Chrome DevTools format) to `file`. */
  stopProfile(file: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts deskhand as `npm start` would, with `env` on top of a quiet default; `root` runs another checkout. */
export async function startDeskhandChild(options: {
  env: Record<string, string>;
  root?: string;
  /** Node or V8 flags for deskhand's main process (`--v8-pool-size=1`), as `node FLAGS bin/deskhand.js` would get them. */
  nodeFlags?: readonly string[];
}): Promise<DeskhandChild> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...options.env,
    ...(options.root ? { DESKHAND_ROOT: options.root } : {}),
  };
  const child: ChildProcess = fork(ENTRY, [], {
    execPath: process.execPath,
    execArgv: [...(options.nodeFlags ?? []), RUN_TS],
    cwd: options.root ?? process.cwd(),
    env,
    // Its logs go where `npm start`'s would, but nobody reads them here.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const next = (kind: string, timeoutMs: number) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`deskhand did not report ${kind} in time`)), timeoutMs);
      const onMessage = (message: Record<string, unknown>) => {
        if (message.kind !== kind) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message);
      };
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`deskhand exited with ${code} before ${kind}`));
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ready = await next('ready', 60_000);
  return {
    url: String(ready.url),
    pid: child.pid as number,
    startProfile: async () => {
      child.send({ kind: 'profile-start' });
      await next('profile-started', 10_000);
    },
    stopProfile: async (file) => {
      child.send({ kind: 'profile-stop', file });
      await next('profile-stopped', 30_000);
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ kind: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A fresh data directory for the embedded database, which its `postgres` user can reach when run as root. */
export function scratchDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'deskhand-bench-data-'));
  chmodSync(dataDir, 0o755);
  return dataDir;
}

/** A new empty database on the server of `serverUrl`, dropped by `drop()`; or, without a server, a fresh data directory. */
export async function freshDatabase(serverUrl: string | undefined): Promise<{
  env: Record<string, string>;
  /** Transactions committed in this database so far (each statement outside a transaction is one); NaN when unknown. */
  transactions(): Promise<number>;
  drop(): Promise<void>;
}> {
  if (!serverUrl) {
    const dataDir = scratchDataDir();
    return {
      env: { DESKHAND_DATA_DIR: dataDir },
      transactions: async () => Number.NaN,
      // deskhand, stopped first, has stopped the embedded server it started in there.
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `deskhand_bench_${process.pid}_${Date.now()}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    transactions: async () => {
      const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        // Statistics reach pg_stat_database up to a second late.
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const [row] = await client<{ n: string }[]>`
          select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = ${name}`;
        return Number(row?.n ?? Number.NaN);
      } finally {
        await client.end();
      }
    },
    drop: async () => {
      const client = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await client.unsafe(`drop database if exists "${name}" with (force)`).catch(() => {});
      await client.end();
    },
  };
}
