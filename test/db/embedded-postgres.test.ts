import { execFile, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type DeskhandProcess, spawnDeskhand } from '../faults/processes.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

const KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge', import.meta.url));
const isRoot = process.getuid?.() === 0;

/** A temporary folder the embedded database's `postgres` user can reach when the tests run as root. */
function reachableTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `deskhand <args>` as its own process, as a person would type it beside the bot. */
function deskhand(args: string[], env: Record<string, string>, uid?: { uid: number; gid: number }) {
  return new Promise<Run>((resolve) => {
    execFile(
      process.execPath,
      [DESKHAND_BIN, ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', KNOWLEDGE_DIR, ...env },
        timeout: 90_000,
        ...uid,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function questionsCounted(env: Record<string, string>): Promise<number> {
  const run = await deskhand(['digest', '--json'], env);
  expect(run.code, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as { current: { questions: number } }).current.questions;
}

function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, 'postgres', 'data', 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not seen in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' }).stdout.trim();
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim();
  return { uid: Number(uid), gid: Number(gid) };
}

describe('the embedded default database', () => {
  const root = reachableTempDir('deskhand-embedded-');
  const env = { DESKHAND_DATA_DIR: join(root, 'data') };
  const bots: DeskhandProcess[] = [];
  afterAll(async () => {
    for (const bot of bots) await bot.stop('SIGKILL');
    const pid = postmasterPid(env.DESKHAND_DATA_DIR);
    if (pid && isAlive(pid)) process.kill(pid, 'SIGINT');
  });

  async function ask(bot: DeskhandProcess, text: string) {
    const sent = await fetch(`${bot.url}/playground/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U0ASKER', channel: 'C0GENERAL', text: `/support ${text}` }),
    });
    expect(sent.status).toBeLessThan(300);
  }

  it('is shared by the CLI beside a running bot, and every question survives a restart', async () => {
    const bot = await spawnDeskhand(env);
    bots.push(bot);
    const server = postmasterPid(env.DESKHAND_DATA_DIR);
    expect(server).toBeDefined();
    await ask(bot, 'How do I reset my password?');
    await ask(bot, 'How do I export my data?');
    for (const question of ['How do I invite a teammate?', 'Where are my invoices?']) {
      const run = await deskhand(['ask', question], env);
      expect(run.code, run.stderr).toBe(0);
    }
    await waitFor('four questions in the digest', async () =>
      (await questionsCounted(env)) === 4 ? true : undefined,
    );
    // The CLI joined the bot's server and left it running.
    expect(postmasterPid(env.DESKHAND_DATA_DIR)).toBe(server);
    const readiness = (await (await fetch(`${bot.url}/readyz`)).json()) as { engine: string };
    expect(readiness.engine).toBe('embedded');

    expect(await bot.stop()).toBe(0);
    bots.pop();
    // The bot was the last one using it: the server is stopped.
    await waitFor('the server to stop', () => (server && !isAlive(server) ? true : undefined));
    expect(await questionsCounted(env)).toBe(4);
  }, 180_000);

  it('starts again cleanly after the bot was killed with SIGKILL', async () => {
    const first = await spawnDeskhand(env);
    bots.push(first);
    const server = postmasterPid(env.DESKHAND_DATA_DIR) as number;
    await first.stop('SIGKILL');
    bots.pop();
    expect(isAlive(server)).toBe(true); // left running, with the dead bot's pid file beside it

    const second = await spawnDeskhand(env);
    bots.push(second);
    expect(postmasterPid(env.DESKHAND_DATA_DIR)).toBe(server); // joined, not started twice
    expect(await questionsCounted(env)).toBe(4);
    expect(await second.stop()).toBe(0);
    bots.pop();
    await waitFor('the server to stop', () => (isAlive(server) ? undefined : true));

    // Pid files left by a crash: a postmaster.pid naming a live process that is not PostgreSQL
    // (pid reuse after a reboot), and a lifecycle lock held by a pid that no longer exists.
    const postgresDir = join(env.DESKHAND_DATA_DIR, 'postgres');
    writeFileSync(
      join(postgresDir, 'data', 'postmaster.pid'),
      `${process.pid}\n${postgresDir}/data\n0\n5999\n\n127.0.0.1\n0 0\nready   \n`,
    );
    writeFileSync(join(postgresDir, 'lifecycle.lock'), '999999');
    expect(await questionsCounted(env)).toBe(4);
  }, 180_000);

  it('is started again on its port when it stops under the bot, and no question is lost', async () => {
    const bot = await spawnDeskhand(env);
    bots.push(bot);
    const before = await questionsCounted(env);
    const pidFile = join(env.DESKHAND_DATA_DIR, 'postgres', 'data', 'postmaster.pid');
    const portOf = () => readFileSync(pidFile, 'utf8').split('\n')[3];
    const server = postmasterPid(env.DESKHAND_DATA_DIR) as number;
    const port = portOf();
    // Killed as the kernel's OOM killer would: no shutdown, its pid file and shared memory left behind.
    process.kill(server, 'SIGKILL');
    await waitFor('the server to die', () => (isAlive(server) ? undefined : true));
    await ask(bot, 'How do I change my email address?'); // answered meanwhile, its rows kept
    const revived = await waitFor('the server to run again', () => {
      const pid = postmasterPid(env.DESKHAND_DATA_DIR);
      return pid && pid !== server && isAlive(pid) ? pid : undefined;
    });
    expect(portOf()).toBe(port); // the bot's pool reaches it at the URL it has
    await waitFor('/readyz to say ready', async () =>
      (await fetch(`${bot.url}/readyz`)).status === 200 ? true : undefined,
    );
    await ask(bot, 'How do I delete my account?');
    await waitFor('both questions in the digest', async () =>
      (await questionsCounted(env)) === before + 2 ? true : undefined,
    );
    expect(bot.logs.join('\n')).toContain('the embedded database stopped under deskhand');
    const code = await bot.stop();
    expect(code, bot.logs.slice(-12).join('\n')).toBe(0);
    bots.pop();
    await waitFor('the revived server to stop with the bot', () => (isAlive(revived) ? undefined : true));
  }, 180_000);

  it('keeps its log to the current file and the one before it', async () => {
    const log = join(env.DESKHAND_DATA_DIR, 'postgres', 'postgres.log');
    writeFileSync(log, 'x'.repeat(11 * 1024 * 1024));
    const run = await deskhand(['migrate'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(`${log}.1`).size).toBe(11 * 1024 * 1024);
    expect(statSync(log).size).toBeLessThan(1024 * 1024);
  }, 60_000);

  it.runIf(isRoot)('runs as root by running the server as the postgres user, which owns the data', () => {
    const postgres = userIds('postgres');
    expect(statSync(join(env.DESKHAND_DATA_DIR, 'postgres', 'data')).uid).toBe(postgres.uid);
  });

  it.runIf(isRoot)(
    'runs as a normal user, whose own server owns its data',
    async () => {
      const nobody = userIds('nobody');
      const dir = reachableTempDir('deskhand-user-');
      chownSync(dir, nobody.uid, nobody.gid);
      const run = await deskhand(['migrate'], { DESKHAND_DATA_DIR: join(dir, 'data'), HOME: dir }, nobody);
      expect(run.code, run.stderr).toBe(0);
      expect(statSync(join(dir, 'data', 'postgres', 'data')).uid).toBe(nobody.uid);
    },
    120_000,
  );

  it('says what to do when it cannot write its folder', async () => {
    const dir = reachableTempDir('deskhand-readonly-');
    mkdirSync(join(dir, 'data'));
    let asUser: { uid: number; gid: number } | undefined;
    if (isRoot)
      asUser = userIds('nobody'); // root writes anywhere: a user who may not write there stands in
    else chmodSync(join(dir, 'data'), 0o555);
    const run = await deskhand(['migrate'], { DESKHAND_DATA_DIR: join(dir, 'data'), HOME: dir }, asUser);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot write .*data.* \(EACCES\).*DESKHAND_DATA_DIR.*DATABASE_URL/);
  }, 60_000);

  it('says what to do when DESKHAND_DB_PORT is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const { port } = squatter.address() as { port: number };
    try {
      const run = await deskhand(['migrate'], { ...env, DESKHAND_DB_PORT: String(port) });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${port} on 127.0.0.1 is taken (DESKHAND_DB_PORT)`);
    } finally {
      squatter.close();
    }
  }, 60_000);
});
