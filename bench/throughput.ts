/**
 * Throughput as the askers see it: `/support` questions offered open-loop (on Slack's schedule,
 * whatever deskhand's speed) from many distinct askers asking the answer-quality set's questions
 * (answerable and not, as people write in Slack), with the rate limit as shipped, to
 * deskhand running as its own process (main + its MCP servers, logging as shipped). A question
 * counts when its answer card reaches the fake Slack's response_url; its answer time runs from
 * the moment the command was sent. CPU is that of deskhand's whole process tree, read from
 * /proc; ack latency is compared with a bare Bolt app at the same rate in the same run.
 * `node bin/run-ts.js bench/throughput.ts [--rates 200,300] [--seconds 5] [--askers 300]
 *   [--profile-dir DIR] [--root OTHER_CHECKOUT] [--against BASELINE_CHECKOUT [--pairs 3]] [--warmup 3000]
 *   [--node-flags=--v8-pool-size=1]`
 *   (DATABASE_URL: the Postgres server to use)
 * `--against` measures a baseline checkout (built, with its own node_modules) and this one
 * alternately, `--pairs` times, and ends with each figure's per-pair ratio (this ÷ baseline).
 * `--node-flags` starts the measured deskhand (not the baseline) with those Node/V8 flags, so
 * `--against . --node-flags X` measures a flag against this same checkout without it.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RecordedCall, SlackEmulator } from '../src/playground/emulator/index.js';
import { BENCH_SECRET, BENCH_TOKEN, startBareBolt, startBenchSlack } from './lib/apps.js';
import { freshDatabase, startDeskhandChild } from './lib/deskhand-child.js';
import { runLoad } from './lib/load.js';
import { pairedSummary, runPaired } from './lib/paired.js';
import { cpuBetween, machineBusyMs, treeCpu } from './lib/process-tree.js';
import { formatTable, percentile, type Row, round } from './lib/stats.js';

export interface ThroughputOptions {
  rates: number[];
  seconds: number;
  /** Distinct askers the questions come from (300 by default). */
  askers?: number;
  /** Write a CPU profile of deskhand's main process per rate into this folder. */
  profileDir?: string;
  /** Another checkout of deskhand to measure instead of this one (a baseline). */
  root?: string;
  /** Node or V8 flags for deskhand's main process. */
  nodeFlags?: readonly string[];
  /** Postgres server to create the benchmark's database on; DATABASE_URL by default, else the embedded default. */
  serverUrl?: string;
  /** Give up waiting for answers this long after the last question was sent. */
  settleMs?: number;
  /**
   * Questions answered before the measured steps (at 150/s, not reported): a bot that has run a
   * while has its hot code optimised; the first thousands of questions also pay for V8 compiling it.
   */
  warmup?: number;
}

/** The warm-up's pace and the most questions in one of its steps (each step's URLs go on one command line). */
const WARMUP_RATE = 150;
const WARMUP_STEP = 1500;

/** The askers as members of the fake workspace, each with the email a ticket is filed for. */
function addAskers(slack: SlackEmulator, prefix: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const id = `${prefix}${i}`;
    slack.workspace.addUser({
      id,
      name: id.toLowerCase(),
      real_name: `Asker ${i}`,
      email: `${id.toLowerCase()}@example.com`,
      is_bot: false,
    });
  }
}

export async function runThroughput(options: ThroughputOptions): Promise<Row[]> {
  const askers = options.askers ?? 300;
  const database = await freshDatabase(options.serverUrl ?? process.env.DATABASE_URL);
  const slack = await startBenchSlack();
  const bare = await startBareBolt();
  const rows: Row[] = [];
  let deskhand: Awaited<ReturnType<typeof startDeskhandChild>> | undefined;
  try {
    deskhand = await startDeskhandChild({
      root: options.root,
      nodeFlags: options.nodeFlags,
      env: {
        ...database.env,
        SLACK_BOT_TOKEN: BENCH_TOKEN,
        SLACK_SIGNING_SECRET: BENCH_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
      },
    });
    if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
    // Each step asks where the last stopped: no question text comes back until all have been asked.
    let asked = 0;
    const warmupQuestions = options.warmup ?? 0;
    const plan = [
      ...Array.from({ length: Math.ceil(warmupQuestions / WARMUP_STEP) }, (_, i) => ({
        rate: WARMUP_RATE,
        // The last step asks what is left, so exactly `warmup` questions are asked in all.
        seconds: Math.min(WARMUP_STEP, warmupQuestions - i * WARMUP_STEP) / WARMUP_RATE,
        warmup: true,
      })),
      ...options.rates.map((rate) => ({ rate, seconds: options.seconds, warmup: false })),
    ];
    for (const [step, { rate, seconds, warmup }] of plan.entries()) {
      const total = Math.max(1, Math.round(rate * seconds));
      // Each step has its own askers, so the rate limit of one step does not carry into the next.
      const askerPrefix = `UTP${step}X`;
      // Everyone who types /support is a member of the workspace: Slack knows them (users.info).
      addAskers(slack, askerPrefix, askers);
      const responseUrls = Array.from({ length: total }, (_, i) =>
        slack.responseUrls.issue({
          kind: 'command',
          userId: `${askerPrefix}${i % askers}`,
          channelId: 'C0GENERAL',
        }),
      );
      const indexOf = new Map(responseUrls.map((url, i) => [url, i]));
      const deliveredAt = new Map<number, number>();
      let otherReplies = 0;
      const unsubscribe = slack.onCall((call: RecordedCall) => {
        if (call.method !== 'response_url' || call.status !== 200) return;
        const index = indexOf.get(String(call.args.response_url));
        if (index === undefined) return;
        if (isAnswerCard(call.args)) deliveredAt.set(index, call.at);
        else otherReplies++;
      });

      if (options.profileDir && !warmup) await deskhand.startProfile();
      const transactionsBefore = await database.transactions();
      const cpuBefore = treeCpu(deskhand.pid);
      const machineBefore = machineBusyMs();
      const started = performance.now();
      const load = await runLoad({
        url: `${deskhand.url}/slack/events`,
        ratePerSecond: rate,
        durationMs: seconds * 1000,
        signingSecret: BENCH_SECRET,
        responseUrlBase: `${slack.baseUrl}/response`,
        responseUrls,
        askers,
        askerPrefix,
        firstQuestion: asked,
      });
      asked += load.sent;
      // Settled when every acked question has had its reply, or nothing arrived for a while.
      let lastCount = -1;
      let lastProgress = Date.now();
      while (
        deliveredAt.size + otherReplies < load.ok &&
        Date.now() - lastProgress < (options.settleMs ?? 10_000)
      ) {
        if (deliveredAt.size + otherReplies !== lastCount) {
          lastCount = deliveredAt.size + otherReplies;
          lastProgress = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const elapsedS = (performance.now() - started) / 1000;
      const cpuAfter = treeCpu(deskhand.pid);
      const machineMs = machineBusyMs() - machineBefore;
      const cpuMs = cpuBetween(cpuBefore, cpuAfter);
      const mainCpuMs = (cpuAfter.byPid.get(deskhand.pid) ?? 0) - (cpuBefore.byPid.get(deskhand.pid) ?? 0);
      if (options.profileDir && !warmup)
        await deskhand.stopProfile(join(options.profileDir, `throughput-${rate}.cpuprofile`));
      unsubscribe();
      const transactions = (await database.transactions()) - transactionsBefore;

      if (warmup) {
        console.error(`warm-up: ${deliveredAt.size} of ${load.sent} questions answered`);
        continue;
      }
      const answerMs = [...deliveredAt].map(([index, at]) => at - (load.sentAtMs[index] as number));
      const lastDelivery = Math.max(...deliveredAt.values());
      const firstSent = load.sentAtMs[0] as number;
      const baseline = await runLoad({
        url: `${bare.url}/slack/events`,
        ratePerSecond: rate,
        durationMs: options.seconds * 1000,
        signingSecret: BENCH_SECRET,
        responseUrlBase: `${slack.baseUrl}/response`,
        askers,
        askerPrefix: `UBARE${step}X`,
      });
      const ackP99 = percentile(load.latenciesMs, 99);
      const bareP99 = percentile(baseline.latenciesMs, 99);
      rows.push({
        benchmark: 'throughput',
        case: `${rate} q/s × ${options.seconds} s, ${askers} askers`,
        sent: load.sent,
        acked: load.ok,
        'cards delivered': deliveredAt.size,
        'other replies': otherReplies,
        'delivered/s': round(deliveredAt.size / ((lastDelivery - firstSent) / 1000 || elapsedS), 0),
        'answer p50 ms': round(percentile(answerMs, 50), 0),
        'answer p99 ms': round(percentile(answerMs, 99), 0),
        'CPU ms/question': round(cpuMs / Math.max(1, deliveredAt.size), 2),
        'of which main': round(mainCpuMs / Math.max(1, deliveredAt.size), 2),
        'CPU cores': round(cpuMs / 1000 / elapsedS, 2),
        [`machine cores busy (of ${availableParallelism()})`]: round(machineMs / 1000 / elapsedS, 2),
        'DB transactions/question': round(transactions / Math.max(1, deliveredAt.size), 1),
        'ack p99 ms': round(ackP99, 1),
        'bare Bolt ack p99 ms': round(bareP99, 1),
        'ack p99 ratio': round(ackP99 / bareP99, 2),
      });
    }
  } finally {
    await deskhand?.stop();
    await bare.stop();
    await slack.close();
    await database.drop();
  }
  return rows;
}

/** An answer card (it always offers a ticket), not a notice such as the rate limit's. */
function isAnswerCard(args: Record<string, unknown>): boolean {
  return JSON.stringify(args.blocks ?? []).includes('"answer_create_ticket"');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rates: { type: 'string', default: '200,300' },
      seconds: { type: 'string', default: '5' },
      askers: { type: 'string', default: '300' },
      'profile-dir': { type: 'string' },
      root: { type: 'string' },
      against: { type: 'string' },
      pairs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '0' },
      'node-flags': { type: 'string', default: '' },
    },
  });
  const options: ThroughputOptions = {
    rates: values.rates.split(',').map(Number),
    seconds: Number(values.seconds),
    askers: Number(values.askers),
    profileDir: values['profile-dir'],
    root: values.root,
    warmup: Number(values.warmup),
    nodeFlags: values['node-flags'].split(/\s+/).filter(Boolean),
  };
  if (!values.against) {
    console.log(formatTable(await runThroughput(options)));
    process.exit(0);
  }
  const against = values.against;
  const rows = await runPaired(
    Number(values.pairs),
    // The baseline runs without --node-flags: `--against . --node-flags X` measures a flag alone.
    (side) =>
      side === 'baseline'
        ? runThroughput({ ...options, root: against, nodeFlags: [] })
        : runThroughput(options),
    // A paired run takes minutes: each run's table as it ends.
    (runRows) => console.log(`${formatTable(runRows)}\n`),
  );
  console.log(
    formatTable(
      pairedSummary(rows, ['delivered/s', 'answer p99 ms', 'CPU ms/question', 'ack p99 ms', 'ack p99 ratio']),
    ),
  );
  process.exit(0);
}
