/**
 * Throughput with nothing lost: a fixed count of questions at rising rates, open-loop, through the
 * whole workflow (ack, kb lookup over MCP, Postgres rows, answer posted to the fake Slack); each
 * step ends when every question is stored with an outcome. Reports the rate deskhand kept up with.
 * `node bin/run-ts.js bench/throughput.ts [--rates 100,200,300,400] [--seconds 3]`
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { benchDatabase, startBenchDeskhand, startBenchSlack } from './lib/apps.js';
import { runLoad } from './lib/load.js';
import { formatTable, percentile, type Row, round } from './lib/stats.js';

export async function runThroughput(options: { rates: number[]; seconds: number }): Promise<Row[]> {
  const database = await benchDatabase();
  const slack = await startBenchSlack();
  const deskhand = await startBenchDeskhand(slack, { database });
  const rows: Row[] = [];
  try {
    for (const rate of options.rates) {
      const tag = `tp${rate}x${Date.now()}`;
      const started = performance.now();
      const load = await runLoad({
        url: `${deskhand.url}/slack/events`,
        ratePerSecond: rate,
        durationMs: options.seconds * 1000,
        signingSecret: 'bench-signing-secret',
        responseUrlBase: `${slack.baseUrl}/response`,
        text: `reset my password ${tag}`,
      });
      // Done when every question sent has an outcome in Postgres (answered or failed).
      let settled = 0;
      let missing = load.sent;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        const [row] = await database.rows<{ settled: number; total: number }>(
          sql`select count(*) filter (where status <> 'received')::int as settled, count(*)::int as total from questions where text like ${`%${tag}%`}`,
        );
        settled = row?.settled ?? 0;
        missing = load.sent - (row?.total ?? 0);
        if (settled >= load.ok) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const elapsed = (performance.now() - started) / 1000;
      rows.push({
        benchmark: 'throughput',
        case: `${rate} q/s offered`,
        'questions/s done': round(settled / elapsed, 0),
        'ack p99 ms': round(percentile(load.latenciesMs, 99), 1),
        sent: load.sent,
        acked: load.ok,
        'stored with outcome': settled,
        missing,
      });
    }
  } finally {
    await deskhand.stop();
    await slack.close();
    await database.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string', default: '100,200,300,400' },
      seconds: { type: 'string', default: '5' },
    },
  });
  console.log(
    formatTable(
      await runThroughput({ rates: values.rates.split(',').map(Number), seconds: Number(values.seconds) }),
    ),
  );
  process.exit(0);
}
