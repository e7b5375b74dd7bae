/**
 * Footprint: time from spawning `deskhand start` (fresh PGlite data directory, built-in kb) to
 * /readyz answering 200, and the process's resident memory idle and under load.
 * `node bin/run-ts.js bench/footprint.ts [--seconds 3]`
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../test/faults/processes.js';
import { BENCH_SECRET, BENCH_TOKEN, startBenchSlack } from './lib/apps.js';
import { runLoad } from './lib/load.js';
import { formatTable, type Row, round } from './lib/stats.js';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 0);
}

export async function runFootprint(options: { seconds: number }): Promise<Row[]> {
  const slack = await startBenchSlack();
  const dataDir = mkdtempSync(join(tmpdir(), 'deskhand-footprint-'));
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/deskhand.js', 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      DESKHAND_DATA_DIR: dataDir,
      SLACK_BOT_TOKEN: BENCH_TOKEN,
      SLACK_SIGNING_SECRET: BENCH_SECRET,
      SLACK_API_URL: slack.apiUrl,
      LOG_LEVEL: 'warn',
      QUESTIONS_PER_MINUTE: '0',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (;;) {
      if (
        await fetch(`${url}/readyz`).then(
          (res) => res.ok,
          () => false,
        )
      )
        break;
      if (performance.now() - started > 60_000) throw new Error('deskhand did not become ready within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = rssMb(child.pid as number);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMb(child.pid as number));
    }, 100);
    await runLoad({
      url: `${url}/slack/events`,
      ratePerSecond: 200,
      durationMs: options.seconds * 1000,
      signingSecret: BENCH_SECRET,
      responseUrlBase: `${slack.baseUrl}/response`,
      text: 'reset password',
    });
    clearInterval(sampler);
    return [
      {
        benchmark: 'footprint',
        case: `start to /readyz (${process.env.DATABASE_URL ? 'Postgres' : 'fresh PGlite'})`,
        value: `${round(readyMs / 1000, 2)} s`,
      },
      { benchmark: 'footprint', case: 'RSS idle', value: `${idle} MB` },
      { benchmark: 'footprint', case: 'RSS peak at 200 req/s', value: `${peak} MB` },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' } } });
  console.log(formatTable(await runFootprint({ seconds: Number(values.seconds) })));
  process.exit(0);
}
