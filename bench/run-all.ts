/**
 * `npm run bench`: a quick run of every benchmark, one table, results in bench/results/latest.json.
 * Each benchmark also runs alone with options for a longer run (see its header).
 * Set DATABASE_URL (or TEST_DATABASE_URL for the digest) to measure on that Postgres; otherwise deskhand runs on
 * its embedded PostgreSQL (as shipped) and the digest on PGlite.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { runAckLatency } from './ack-latency.js';
import { runAnswerLatency } from './answer-latency.js';
import { runAnswerQuality } from './answer-quality.js';
import { runDigestBench } from './digest.js';
import { runFootprint } from './footprint.js';
import { formatTable, type Row } from './lib/stats.js';
import { runMcpOverhead } from './mcp-overhead.js';
import { runThroughput } from './throughput.js';

const quick = !process.argv.includes('--full');
const steps: Array<[string, () => Promise<Row[]>]> = [
  ['ack latency', () => runAckLatency({ rates: [50, 200, 500], seconds: quick ? 3 : 10 })],
  ['answer latency', () => runAnswerLatency({ questions: quick ? 5 : 20 })],
  ['answer quality', () => runAnswerQuality()],
  ['MCP overhead', () => runMcpOverhead({ calls: quick ? 300 : 2000 })],
  [
    'throughput',
    () =>
      runThroughput({
        rates: quick ? [100, 200, 300, 400] : [100, 200, 300, 400, 500, 600],
        seconds: quick ? 3 : 10,
      }),
  ],
  ['digest', () => runDigestBench({ sizes: quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000] })],
  ['footprint', () => runFootprint()],
];

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'embedded PostgreSQL'}`;
console.log(`deskhand benchmarks (${quick ? 'quick' : 'full'}) on ${machine}\n`);
const results: Record<string, Row[]> = {};
for (const [name, step] of steps) {
  const started = performance.now();
  try {
    results[name] = await step();
  } catch (error) {
    results[name] = [{ benchmark: name, case: 'failed', error: (error as Error).message }];
  }
  console.log(
    `${formatTable(results[name] ?? [])}\n(${name}: ${Math.round((performance.now() - started) / 1000)} s)\n`,
  );
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/latest.json',
  `${JSON.stringify({ at: new Date().toISOString(), machine, quick, results }, null, 2)}\n`,
);
console.log('Saved bench/results/latest.json');
process.exit(0);
