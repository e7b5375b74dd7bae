import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../../src/config/env.js';
import { type RunningDeskhand, startDeskhand } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SlackOutbound } from '../../src/playground/emulator/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { type FakeSocketMode, type FakeSocketModeOptions, startFakeSocketMode } from './fake-socket-mode.js';
import { slackDriver } from './slack-driver.js';

export interface TestDeskhand {
  deskhand: RunningDeskhand;
  slack: FakeSlack;
  /** Sends signed requests to deskhand's /slack/events, as Slack does (in Socket Mode: envelopes over its socket). */
  driver: SlackOutbound;
  /** The fake Socket Mode endpoint, when started with `socketMode`. */
  socket?: FakeSocketMode;
  database: TestDatabase;
  stop(): Promise<void>;
}

export interface TestDeskhandOptions {
  /** Extra environment, e.g. ALERT_CHANNEL; Slack settings and PORT are filled in. */
  env?: Record<string, string>;
  /** The MCP services file's YAML; without it, the built-in kb server over stdio. */
  servicesYaml?: string;
  database?: TestDatabase;
  /** Runs deskhand in Socket Mode (SLACK_APP_TOKEN, no signing secret) against a fake Socket Mode endpoint. */
  socketMode?: FakeSocketModeOptions | true;
  /** How long start waits for MCP services (see StartOptions). */
  mcpStartWaitMs?: number;
}

/** deskhand started in-process on a fresh database, talking to a fake Slack, as a real workspace would. */
export async function startTestDeskhand(options: TestDeskhandOptions = {}): Promise<TestDeskhand> {
  const slack = await startFakeSlack();
  const socket = options.socketMode
    ? await startFakeSocketMode(slack, options.socketMode === true ? {} : options.socketMode)
    : undefined;
  const database = options.database ?? (await createTestDatabase());
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: slack.botToken,
    ...(socket ? { SLACK_APP_TOKEN: socket.appToken } : { SLACK_SIGNING_SECRET: slack.signingSecret }),
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'silent',
    QUESTIONS_PER_MINUTE: '1000',
    ...options.env,
  };
  if (options.servicesYaml) {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-services-'));
    env.MCP_CONFIG = join(dir, 'mcp_services.yml');
    writeFileSync(env.MCP_CONFIG, options.servicesYaml);
  }
  const config = loadEnv(env);
  const deskhand = await startDeskhand(config, {
    database,
    env,
    host: '127.0.0.1',
    mcpStartWaitMs: options.mcpStartWaitMs,
    logger: createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false }),
  }).catch(async (error: unknown) => {
    await socket?.close();
    await slack.close();
    if (!options.database) await database.drop();
    throw error;
  });
  const driver = slackDriver(slack, `${deskhand.url}/slack/events`);
  return {
    deskhand,
    slack,
    driver,
    ...(socket ? { socket } : {}),
    database,
    async stop() {
      await deskhand.stop();
      await socket?.close();
      await slack.close();
      if (!options.database) await database.drop();
    },
  };
}
