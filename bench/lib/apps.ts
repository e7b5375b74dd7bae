import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { loadEnv } from '../../src/config/env.js';
import { type Database, openDatabase } from '../../src/db/client.js';
import { type RunningDeskhand, startDeskhand } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { SlackEmulator } from '../../src/playground/emulator/index.js';
import { scratchDataDir } from './deskhand-child.js';

export const BENCH_SECRET = 'bench-signing-secret';
export const BENCH_TOKEN = 'xoxb-bench';

/** A fake Slack for deskhand to answer to during a benchmark. */
export async function startBenchSlack(): Promise<SlackEmulator> {
  const slack = new SlackEmulator({ botToken: BENCH_TOKEN, signingSecret: BENCH_SECRET });
  await slack.listen(0);
  return slack;
}

/**
 * The database deskhand runs on: DATABASE_URL's server when set (used as is: no scratch database
 * is made on it), else the shipped default, embedded PostgreSQL in its own process, in a fresh data
 * directory. (PGlite in the benchmark's own process, as before, is not what anyone runs: its
 * queries took the event loop the acks are measured on.)
 */
export async function benchDatabase(): Promise<Database> {
  if (process.env.DATABASE_URL) {
    const database = await openDatabase({ url: process.env.DATABASE_URL, maxConnections: 10 });
    await database.migrate();
    return database;
  }
  const dataDir = scratchDataDir();
  const database = await openDatabase({ dataDir });
  await database.migrate();
  return {
    ...database,
    async close() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** deskhand as it runs in production (HTTP mode), against the bench Slack. */
export async function startBenchDeskhand(
  slack: SlackEmulator,
  options: { database?: Database; servicesYaml?: string; env?: Record<string, string> } = {},
): Promise<RunningDeskhand> {
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BENCH_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    QUESTIONS_PER_MINUTE: '0',
    ...options.env,
  };
  if (options.servicesYaml) {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-bench-'));
    env.MCP_CONFIG = join(dir, 'mcp_services.yml');
    writeFileSync(env.MCP_CONFIG, options.servicesYaml);
  }
  const database = options.database ?? (await benchDatabase());
  const deskhand = await startDeskhand(loadEnv(env), {
    database,
    env,
    host: '127.0.0.1',
    logger: createLogger({ level: 'silent' }),
  });
  if (options.database) return deskhand;
  // deskhand leaves a database it was given open: this one is the benchmark's to close.
  return {
    ...deskhand,
    async stop() {
      await deskhand.stop();
      await database.close();
    },
  };
}

/** The baseline: a bare Bolt app whose command listener only acks. */
export async function startBareBolt(): Promise<{ url: string; stop(): Promise<void> }> {
  const receiver = new HTTPReceiver({
    signingSecret: BENCH_SECRET,
    endpoints: '/slack/events',
    logLevel: LogLevel.ERROR,
  });
  const app = new App({
    receiver,
    authorize: async () => ({ botToken: BENCH_TOKEN }),
    logLevel: LogLevel.ERROR,
  });
  app.command('/support', async ({ ack }) => {
    await ack();
  });
  const server = await receiver.start(0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await receiver.stop();
    },
  };
}
