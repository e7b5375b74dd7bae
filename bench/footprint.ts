/**
 * Footprint and start, measured from outside as a person running `npm start` sees it:
 * - `deskhand start` (playground, built-in kb) to /readyz 200, on the embedded default the first run
 *   ever (initdb included) and warm (the database exists, no server running), and with DATABASE_URL;
 * - resident memory of the whole process tree after a few playground questions: deskhand, every child
 *   (the kb MCP server) and the embedded PostgreSQL with all its processes (detached from deskhand,
 *   so found through its postmaster.pid): the sum of RSS, and of PSS (shared pages divided among the
 *   processes that share them, so PostgreSQL's shared memory is counted once);
 * - `deskhand mcp kb` spawned to its answer to `initialize`.
 * Everything runs the compiled build (dist/, `npm run build`); the same run measures the old way,
 * the sources through tsx, as the baseline.
 * `node bin/run-ts.js bench/footprint.ts` (DATABASE_URL or TEST_DATABASE_URL adds the Postgres case)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from '../test/faults/processes.js';
import { adminQuery, quoteIdent, withDatabase } from '../test/harness/postgres-admin.js';
import { formatTable, type Row, round } from './lib/stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KNOWLEDGE_DIR = join(ROOT, 'knowledge');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

type Build = 'compiled' | 'tsx';

/** The command line of `deskhand <args>`: node on dist/cli.js, or (the baseline) src/cli.ts through tsx. */
function cli(build: Build, args: string[]): string[] {
  return build === 'compiled'
    ? [join(ROOT, 'dist', 'cli.js'), ...args]
    : ['--import', TSX, join(ROOT, 'src', 'cli.ts'), ...args];
}

interface Started {
  child: ChildProcess;
  url: string;
  readyMs: number;
}

async function startBot(build: Build, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, cli(build, ['start']), {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      KNOWLEDGE_DIR,
      ...env,
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    const ready = await fetch(`${url}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null)
      throw new Error(`deskhand exited with ${child.exitCode} before it was ready`);
    if (performance.now() - started > 60_000) throw new Error('deskhand did not become ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { child, url, readyMs: performance.now() - started };
}

async function stopBot(bot: Started): Promise<void> {
  if (bot.child.exitCode !== null) return;
  const exited = new Promise((resolve) => bot.child.once('exit', resolve));
  bot.child.kill('SIGTERM');
  await exited;
}

/** A few questions through the playground, waiting until each answer card is on the page. */
async function askQuestions(url: string, questions: string[]): Promise<void> {
  for (const text of questions) {
    await fetch(`${url}/playground/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U0ASKER', channel: 'C0GENERAL', text: `/support ${text}` }),
    });
  }
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const state = (await (await fetch(`${url}/playground/api/state?user=U0ASKER`)).json()) as {
      messages: { blocks?: unknown[] }[];
    };
    if (state.messages.filter((message) => message.blocks?.length).length >= questions.length) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the answers did not all arrive within 30 s');
}

/** Pids of `roots` and all their descendants, from /proc, each once (a root may descend from another). */
function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {}
  }
  const tree = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (tree.has(pid)) continue;
    tree.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return [...tree];
}

function kbOf(pid: number, file: string, field: 'VmRSS' | 'Pss'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
    return Number(match?.[1] ?? 0);
  } catch {
    return 0;
  }
}

interface TreeMemory {
  processes: number;
  rssMb: number;
  pssMb: number;
  deskhandRssMb: number;
}

function treeMemory(deskhandPid: number, dataDir: string | undefined): TreeMemory {
  const roots = [deskhandPid];
  const pidFile = dataDir && join(dataDir, 'postgres', 'data', 'postmaster.pid');
  if (pidFile && existsSync(pidFile)) roots.push(Number(readFileSync(pidFile, 'utf8').split('\n')[0]));
  const pids = processTree(roots);
  const sum = (file: string, field: 'VmRSS' | 'Pss') =>
    round(pids.reduce((total, pid) => total + kbOf(pid, file, field), 0) / 1024, 0);
  return {
    processes: pids.length,
    rssMb: sum('status', 'VmRSS'),
    pssMb: sum('smaps_rollup', 'Pss'),
    deskhandRssMb: round(kbOf(deskhandPid, 'status', 'VmRSS') / 1024, 0),
  };
}

/**
 * Spawns `deskhand mcp kb` and times it to the answer to `initialize`: compiled, through the
 * `deskhand` bin as an MCP client configured with it runs it (bin/deskhand.js, which runs the
 * bundled MCP entry); through tsx, the sources.
 */
async function kbInitializeMs(build: Build): Promise<number> {
  const started = performance.now();
  const args =
    build === 'compiled' ? [join(ROOT, 'bin', 'deskhand.js'), 'mcp', 'kb'] : cli(build, ['mcp', 'kb']);
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', KNOWLEDGE_DIR },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  child.stdin.write(
    `${JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'bench', version: '1' },
      },
    })}\n`,
  );
  const answered = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"id":1')) resolve(performance.now() - started);
    });
    child.once('exit', (code) => reject(new Error(`deskhand mcp kb exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stdin.end();
  await exited;
  return answered;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function reachableTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755); // as root, the embedded PostgreSQL runs as `postgres`, which must reach it
  return dir;
}

const QUESTIONS = [
  'How do I reset my password?',
  'How do I export my data?',
  'How do I invite a teammate?',
  'Where are my invoices?',
  'Can I change my plan?',
];

/** Start and memory on one database setting, compiled and through tsx. */
async function startAndMemory(build: Build, databaseUrl: string | undefined): Promise<Row[]> {
  const rows: Row[] = [];
  const where = databaseUrl ? 'DATABASE_URL' : 'embedded';
  const dataDir = join(reachableTempDir('deskhand-footprint-'), 'data');
  const env = { DESKHAND_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
  try {
    const first = await startBot(build, env);
    await stopBot(first);
    const warm: number[] = [];
    let memory: TreeMemory | undefined;
    for (let run = 0; run < 3; run++) {
      const bot = await startBot(build, env);
      warm.push(bot.readyMs);
      if (run === 0) {
        await askQuestions(bot.url, QUESTIONS);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        memory = treeMemory(bot.child.pid as number, databaseUrl ? undefined : dataDir);
      }
      await stopBot(bot);
    }
    if (!databaseUrl)
      rows.push({
        benchmark: 'footprint',
        case: `start to /readyz, first run ever (initdb), ${build}`,
        value: `${round(first.readyMs / 1000, 2)} s`,
      });
    rows.push({
      benchmark: 'footprint',
      case: `start to /readyz, warm (median of 3), ${where}, ${build}`,
      value: `${round(median(warm) / 1000, 2)} s`,
    });
    if (memory)
      rows.push({
        benchmark: 'footprint',
        case: `memory of the tree after ${QUESTIONS.length} questions, ${where}, ${build}`,
        value: `${memory.rssMb} MB RSS / ${memory.pssMb} MB PSS (${memory.processes} processes; deskhand ${memory.deskhandRssMb} MB)`,
      });
    return rows;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runFootprint(): Promise<Row[]> {
  if (!existsSync(join(ROOT, 'dist', 'cli.js')))
    throw new Error('dist/ is missing: run `npm run build` first');
  const serverUrl = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;
  const rows: Row[] = [];
  for (const build of ['compiled', 'tsx'] as const) {
    rows.push(...(await startAndMemory(build, undefined)));
    if (serverUrl) {
      // A scratch database of its own on that server, migrated by the first start.
      const name = `deskhand_footprint_${process.pid}`;
      await adminQuery(serverUrl, `create database ${quoteIdent(name)}`);
      try {
        rows.push(...(await startAndMemory(build, withDatabase(serverUrl, name))));
      } finally {
        await adminQuery(serverUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
      }
    }
    const kb: number[] = [];
    for (let run = 0; run < 5; run++) kb.push(await kbInitializeMs(build));
    rows.push({
      benchmark: 'footprint',
      case: `deskhand mcp kb to its initialize answer (median of 5), ${build}`,
      value: `${round(median(kb) / 1000, 2)} s`,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatTable(await runFootprint()));
  process.exit(0);
}
