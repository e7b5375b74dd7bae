import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER_ID, GENERAL_CHANNEL_ID } from '../../src/playground/emulator/workspace.js';
import { noticeCard } from '../../src/slack/blocks/index.js';
import { showToAsker } from '../../src/slack/show-to-asker.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';

let fake: FakeSlack;
const logged: string[] = [];
const logger = {
  info: (m: string) => logged.push(`info ${m}`),
  error: (m: string) => logged.push(`error ${m}`),
};
const card = noticeCard('Your answer: rotate the key under Settings → API.', ':key:');
const asker = { userId: DEFAULT_USER_ID, channelId: GENERAL_CHANNEL_ID };

beforeEach(async () => {
  fake = await startFakeSlack();
  logged.length = 0;
});

afterEach(async () => {
  await fake.close();
});

const shownTo = (userId: string) =>
  fake.workspace
    .allMessages()
    .filter((m) => m.text.includes('rotate the key') && (m.ephemeralTo ?? userId) === userId);

describe('showing a card to the asker', () => {
  it('in place when Slack takes it there, and nowhere else', async () => {
    expect(await showToAsker(fake.client(), logger, asker, card, async () => true)).toBe('in_place');
    expect(fake.calls().filter((call) => call.method.startsWith('chat.'))).toHaveLength(0);
  });

  it('privately in the channel when it cannot go in place', async () => {
    expect(await showToAsker(fake.client(), logger, asker, card, async () => false)).toBe('ephemeral');
    const [shown] = shownTo(DEFAULT_USER_ID);
    expect(shown?.ephemeralTo).toBe(DEFAULT_USER_ID);
    expect(shown?.channel).toBe(GENERAL_CHANNEL_ID);
  });

  it('by DM when the channel will not take it either (a private channel the bot is not in)', async () => {
    fake.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    expect(await showToAsker(fake.client(), logger, asker, card, async () => false)).toBe('dm');
    const dm = fake.workspace.dmWith(DEFAULT_USER_ID);
    expect(shownTo(DEFAULT_USER_ID).map((m) => m.channel)).toEqual([dm.id]);
  });

  it('says so in the log when Slack takes it nowhere', async () => {
    fake.failNext('chat.postEphemeral', { error: 'channel_not_found' });
    fake.failNext('chat.postMessage', { error: 'account_inactive' });
    expect(await showToAsker(fake.client(), logger, asker, card)).toBe('lost');
    expect(logged.at(-1)).toMatch(/^error the card could not reach U0ASKER: .*account_inactive/);
  });
});
