/**
 * Answer latency against the slowest source: three MCP knowledge sources (real servers over
 * streamable HTTP) answering after 50, 200 and 800 ms; the time from /support to the answer card
 * arriving at the fake Slack. Baseline in the same run, the seed's way: the three lookups one
 * after the other with a fresh SDK client per call.
 * `node bin/run-ts.js bench/answer-latency.ts [--questions 5]`
 */
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { SlackOutbound } from '../src/playground/emulator/index.js';
import { FlakySource } from '../test/faults/flaky-source.js';
import { startBenchDeskhand, startBenchSlack } from './lib/apps.js';
import { formatTable, median, type Row, round } from './lib/stats.js';

const DELAYS = [50, 200, 800];

export async function runAnswerLatency(options: { questions: number }): Promise<Row[]> {
  const sources = DELAYS.map(() => new FlakySource());
  for (const [i, source] of sources.entries()) {
    await source.start();
    source.mode = { kind: 'delay', ms: DELAYS[i] as number };
  }
  const servicesYaml = [
    'services:',
    ...sources.flatMap((source, i) => [
      `  source${i}:`,
      '    transport: http',
      `    url: ${source.url}`,
      '    timeout_ms: 3000',
      '    retry_attempts: 0',
    ]),
    '',
  ].join('\n');
  const slack = await startBenchSlack();
  const deskhand = await startBenchDeskhand(slack, { servicesYaml, env: { LOOKUP_DEADLINE_MS: '3000' } });
  const driver = slack.outbound as SlackOutbound;
  driver.targetUrl = `${deskhand.url}/slack/events`;
  const answers: number[] = [];
  const sequential: number[] = [];
  try {
    for (let i = 0; i < options.questions + 1; i++) {
      const started = performance.now();
      await driver.slashCommand({ userId: 'U0ASKER', text: `latency question ${i}` });
      await slack.waitForMessage(
        (message) =>
          message.text.includes(`latency question ${i}`) &&
          /answer_solved/.test(JSON.stringify(message.blocks ?? [])),
        10_000,
      );
      if (i > 0) answers.push(performance.now() - started); // the first warms connections
      const baselineStarted = performance.now();
      for (const source of sources) {
        const client = new Client({ name: 'seed-baseline', version: '1.0.0' });
        await client.connect(new StreamableHTTPClientTransport(new URL(source.url)));
        await client.callTool({ name: 'search_pages', arguments: { query: `latency question ${i}` } });
        await client.close();
      }
      if (i > 0) sequential.push(performance.now() - baselineStarted);
    }
  } finally {
    await deskhand.stop();
    await slack.close();
    for (const source of sources) await source.kill();
  }
  const answer = median(answers);
  const slowest = Math.max(...DELAYS);
  return [
    {
      benchmark: 'answer latency',
      case: `sources ${DELAYS.join('/')} ms`,
      'answer median ms': round(answer, 0),
      'slowest source ms': slowest,
      'answer / slowest': round(answer / slowest, 2),
      'sequential, fresh client ms': round(median(sequential), 0),
      'answer / sequential': round(answer / median(sequential), 2),
      questions: options.questions,
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { questions: { type: 'string', default: '10' } } });
  console.log(formatTable(await runAnswerLatency({ questions: Number(values.questions) })));
  process.exit(0);
}
