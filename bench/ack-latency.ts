/**
 * Ack latency: signed /support commands sent open-loop (on a schedule, as Slack sends them) at
 * several rates; the HTTP response time of deskhand against a bare Bolt app that only acks,
 * measured in the same run. `node bin/run-ts.js bench/ack-latency.ts [--rates 50,200,500] [--seconds 3]`
 */
import { parseArgs } from 'node:util';
import { startBareBolt, startBenchDeskhand, startBenchSlack } from './lib/apps.js';
import { runLoad } from './lib/load.js';
import { formatTable, percentile, type Row, round } from './lib/stats.js';

export async function runAckLatency(options: { rates: number[]; seconds: number }): Promise<Row[]> {
  const slack = await startBenchSlack();
  const deskhand = await startBenchDeskhand(slack);
  const bare = await startBareBolt();
  const rows: Row[] = [];
  try {
    // deskhand's steps ask where the last stopped: no question text comes back until all have been asked.
    let asked = 0;
    for (const rate of options.rates) {
      const measure = async (url: string) =>
        runLoad({
          url: `${url}/slack/events`,
          ratePerSecond: rate,
          durationMs: options.seconds * 1000,
          signingSecret: 'bench-signing-secret',
          responseUrlBase: `${slack.baseUrl}/response`,
          firstQuestion: asked,
        });
      const baseline = await measure(bare.url);
      // Let the previous run's answers finish before measuring deskhand again.
      await deskhand.work.drain(30_000).then(() => undefined);
      const measured = await measure(deskhand.url);
      asked += measured.sent;
      const p = (samples: number[], q: number) => round(percentile(samples, q), 1);
      rows.push({
        benchmark: 'ack latency',
        case: `${rate} req/s`,
        'deskhand p50 ms': p(measured.latenciesMs, 50),
        'deskhand p99 ms': p(measured.latenciesMs, 99),
        'deskhand max ms': p(measured.latenciesMs, 100),
        'bare Bolt p99 ms': p(baseline.latenciesMs, 99),
        'p99 ratio': round(percentile(measured.latenciesMs, 99) / percentile(baseline.latenciesMs, 99), 2),
        'non-2xx': measured.errors,
        sent: measured.sent,
      });
    }
  } finally {
    await bare.stop();
    await deskhand.stop();
    await slack.close();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { rates: { type: 'string', default: '50,200,500' }, seconds: { type: 'string', default: '5' } },
  });
  const rows = await runAckLatency({
    rates: values.rates.split(',').map(Number),
    seconds: Number(values.seconds),
  });
  console.log(formatTable(rows));
  process.exit(0);
}
