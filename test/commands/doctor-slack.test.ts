import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSlack } from '../../src/commands/doctor-slack.js';
import { loadEnv } from '../../src/config/env.js';
import { GENERAL_CHANNEL_ID } from '../../src/playground/emulator/index.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';

describe('doctor on the channels deskhand posts to and listens in', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
    const created = Math.floor(Date.now() / 1000);
    slack.workspace.addChannel({
      id: 'G0ALERTS',
      name: 'alerts',
      kind: 'private',
      created,
      botIsMember: false,
    });
    slack.workspace.addChannel({
      id: 'C0DIGEST',
      name: 'digest',
      kind: 'public',
      created,
      botIsMember: false,
    });
    slack.workspace.addChannel({
      id: 'C0ASKHERE',
      name: 'ask-here',
      kind: 'public',
      created,
      botIsMember: false,
    });
  });
  afterAll(async () => {
    await slack?.close();
  });

  function configWith(channels: Record<string, string>) {
    return loadEnv({
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      ...channels,
    });
  }

  it('names a private channel deskhand was not invited to, and a support channel it is not in', async () => {
    const checks = await checkSlack(
      configWith({
        ALERT_CHANNEL: 'G0ALERTS',
        DIGEST_CHANNEL: 'C0DIGEST',
        SUPPORT_CHANNELS: `C0ASKHERE,${GENERAL_CHANNEL_ID}`,
      }),
    );
    const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
    expect(byName['slack: bot token']?.ok).toBe(true);
    expect(byName['slack: ALERT_CHANNEL G0ALERTS']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/private and deskhand was not invited.*\/invite @deskhand/),
    });
    // A public channel takes deskhand's posts without it (chat:write.public).
    expect(byName['slack: DIGEST_CHANNEL C0DIGEST']).toMatchObject({
      ok: true,
      detail: expect.stringMatching(/posts to #digest without being a member/),
    });
    expect(byName['slack: SUPPORT_CHANNELS C0ASKHERE']).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/not a member of #ask-here.*will not arrive/),
    });
    expect(byName[`slack: SUPPORT_CHANNELS ${GENERAL_CHANNEL_ID}`]).toMatchObject({
      ok: true,
      detail: '#general: deskhand is a member',
    });
  });

  it('checks no channel when none is set', async () => {
    const checks = await checkSlack(configWith({}));
    expect(checks.map((check) => check.name)).toEqual(['slack: bot token']);
  });
});
