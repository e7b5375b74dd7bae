/**
 * The load generator, run as its own process (see `runLoad`): sends signed `/support` commands
 * open-loop at a fixed rate to one URL and reports latencies on stdout as JSON.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { BENCH_QUESTIONS, type LoadSpec } from './load.js';
import { runOpenLoop } from './open-loop.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const result = await runOpenLoop({
  url: spec.url,
  ratePerSecond: spec.ratePerSecond,
  durationMs: spec.durationMs,
  makeRequest: (i) => {
    const trigger = randomUUID();
    const body = new URLSearchParams({
      token: 'bench',
      team_id: 'T0DESKHAND',
      channel_id: 'C0GENERAL',
      channel_name: 'general',
      user_id: `${spec.askerPrefix ?? 'UBENCH'}${i % (spec.askers ?? 500)}`,
      user_name: 'bench',
      command: '/support',
      text: BENCH_QUESTIONS[((spec.firstQuestion ?? 0) + i) % BENCH_QUESTIONS.length] as string,
      response_url: spec.responseUrls?.[i] ?? `${spec.responseUrlBase}/${trigger}`,
      trigger_id: trigger,
    }).toString();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', spec.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return {
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
    };
  },
});
process.stdout.write(`${JSON.stringify(result)}\n`);
