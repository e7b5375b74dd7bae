import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupClient, warnAboutPostingChannels } from '../../src/compose/support-channels.js';
import { loadEnv } from '../../src/config/env.js';
import { createLogger } from '../../src/observability/logger.js';
import { GENERAL_CHANNEL_ID } from '../../src/playground/emulator/index.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';

describe('the channels deskhand posts to, checked at start', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
    slack.workspace.addChannel({
      id: 'G0OPSALERTS',
      name: 'ops-alerts',
      kind: 'private',
      created: Math.floor(Date.now() / 1000),
      botIsMember: false,
    });
  });
  afterAll(async () => {
    await slack?.close();
  });

  async function warningsFor(channels: Record<string, string>): Promise<string[]> {
    const logs: Array<{ level: number; msg: string }> = [];
    const logger = createLogger({
      level: 'info',
      pretty: false,
      destination: { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string }) },
    });
    const config = loadEnv({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ...channels,
    });
    await warnAboutPostingChannels(
      config,
      startupClient({ botToken: slack.botToken, slackApiUrl: slack.apiUrl }),
      logger,
    );
    return logs.filter((entry) => entry.level === 40).map((entry) => entry.msg);
  }

  it('warns that alerts to a private channel deskhand was not invited to would be lost, naming the fix', async () => {
    const warnings = await warningsFor({ ALERT_CHANNEL: 'G0OPSALERTS', DIGEST_CHANNEL: GENERAL_CHANNEL_ID });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^ALERT_CHANNEL G0OPSALERTS: .*private and deskhand was not invited.*\/invite @deskhand/,
      ),
    ]);
  });

  it('says nothing when deskhand can post to every channel, or none is set', async () => {
    expect(await warningsFor({ ALERT_CHANNEL: GENERAL_CHANNEL_ID })).toEqual([]);
    expect(await warningsFor({})).toEqual([]);
  });
});
