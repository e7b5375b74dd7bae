import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BOT_ID,
  BOT_USER_ID,
  DEFAULT_USER_ID,
  HELP_CHANNEL_ID,
} from '../../../src/playground/emulator/index.js';
import { type FakeSlack, startFakeSlack } from '../../harness/fake-slack.js';
import { decodeSlackBody, type SlackOutbound, slackDriver } from '../../harness/slack-driver.js';
import { type ReceivedRequest, RecordingApp } from './recording-app.js';

let fake: FakeSlack;
let app: RecordingApp;
let slack: SlackOutbound;

const PRIVATE = 'G0PRIVATE';

beforeEach(async () => {
  fake = await startFakeSlack({ echoBotMessages: true });
  fake.workspace.addChannel({ id: PRIVATE, name: 'secret-help', kind: 'private', created: 1 });
  app = await new RecordingApp().start();
  slack = slackDriver(fake, app.url);
});

afterEach(async () => {
  await app.stop();
  await fake.close();
});

const eventOf = (request: ReceivedRequest) =>
  (
    decodeSlackBody(request.body, String(request.headers['content-type'])) as {
      event: Record<string, unknown>;
    }
  ).event;

describe('channel message events, as Slack sends them for message.channels and message.groups', () => {
  it('a channel message, a thread reply and a mention, with channel_type, thread_ts and parent_user_id', async () => {
    const root = await slack.channelMessage({ channelId: HELP_CHANNEL_ID, text: 'printer on fire' });
    expect(eventOf(app.last())).toMatchObject({
      type: 'message',
      channel: HELP_CHANNEL_ID,
      channel_type: 'channel',
      user: DEFAULT_USER_ID,
      text: 'printer on fire',
      ts: root.message.ts,
      event_ts: root.message.ts,
    });
    expect(eventOf(app.last())).not.toHaveProperty('thread_ts');

    await slack.channelMessage({
      userId: 'U0AGENT1',
      channelId: HELP_CHANNEL_ID,
      text: 'on it',
      threadTs: root.message.ts,
    });
    expect(eventOf(app.last())).toMatchObject({
      thread_ts: root.message.ts,
      parent_user_id: DEFAULT_USER_ID,
      user: 'U0AGENT1',
    });

    const before = app.received.length;
    const mention = await slack.channelMessage({ channelId: PRIVATE, text: `<@${BOT_USER_ID}> help` });
    expect(app.received.length - before).toBe(2);
    expect(eventOf(app.received[before] as ReceivedRequest)).toMatchObject({
      type: 'message',
      channel_type: 'group',
    });
    expect(eventOf(app.last())).toMatchObject({ type: 'app_mention', ts: mention.message.ts });
  });

  it('an edit is message_changed, a join is channel_join', async () => {
    const sent = await slack.channelMessage({ channelId: HELP_CHANNEL_ID, text: 'typo' });
    await slack.editMessage({ channelId: HELP_CHANNEL_ID, ts: sent.message.ts, text: 'fixed' });
    expect(eventOf(app.last())).toMatchObject({
      subtype: 'message_changed',
      hidden: true,
      message: { ts: sent.message.ts, text: 'fixed', edited: { user: DEFAULT_USER_ID } },
      previous_message: { text: 'typo' },
    });
    await slack.channelJoin({ userId: 'U0AGENT2', channelId: HELP_CHANNEL_ID });
    expect(eventOf(app.last())).toMatchObject({ subtype: 'channel_join', user: 'U0AGENT2' });
  });

  it('the bot’s own posts come back as message events with bot_id, ephemeral ones and DMs do not', async () => {
    const client = fake.client();
    const before = app.received.length;
    const posted = await client.chat.postMessage({
      channel: HELP_CHANNEL_ID,
      text: 'answer',
      thread_ts: '1.000001',
    });
    await client.chat.postEphemeral({ channel: HELP_CHANNEL_ID, user: DEFAULT_USER_ID, text: 'just you' });
    await client.chat.postMessage({ channel: DEFAULT_USER_ID, text: 'dm' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(app.received.length - before).toBe(1);
    expect(eventOf(app.last())).toMatchObject({
      bot_id: BOT_ID,
      user: BOT_USER_ID,
      ts: posted.ts,
      text: 'answer',
    });
  });
});

describe('reaction events and reactions.remove', () => {
  it('reaction_added and reaction_removed carry the item; a repeat changes nothing and sends nothing', async () => {
    const sent = await slack.channelMessage({ channelId: HELP_CHANNEL_ID, text: 'help' });
    const added = await slack.reaction({
      userId: 'U0AGENT1',
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
    });
    expect(added?.status).toBe(200);
    expect(eventOf(app.last())).toMatchObject({
      type: 'reaction_added',
      user: 'U0AGENT1',
      reaction: 'eyes',
      item_user: DEFAULT_USER_ID,
      item: { type: 'message', channel: HELP_CHANNEL_ID, ts: sent.message.ts },
    });
    expect(
      await slack.reaction({
        userId: 'U0AGENT1',
        channelId: HELP_CHANNEL_ID,
        ts: sent.message.ts,
        name: 'eyes',
      }),
    ).toBeUndefined();
    await slack.reaction({
      userId: 'U0AGENT1',
      channelId: HELP_CHANNEL_ID,
      ts: sent.message.ts,
      name: 'eyes',
      removed: true,
    });
    expect(eventOf(app.last())).toMatchObject({ type: 'reaction_removed', reaction: 'eyes' });
    expect(fake.workspace.message(HELP_CHANNEL_ID, sent.message.ts)?.reactions).toBeUndefined();
  });

  it('reactions.remove takes back the bot’s reaction, and says no_reaction when there is none', async () => {
    const client = fake.client();
    const sent = await slack.channelMessage({ channelId: HELP_CHANNEL_ID, text: 'help' });
    await client.reactions.add({ channel: HELP_CHANNEL_ID, timestamp: sent.message.ts, name: 'eyes' });
    await client.reactions.remove({ channel: HELP_CHANNEL_ID, timestamp: sent.message.ts, name: 'eyes' });
    expect(fake.workspace.message(HELP_CHANNEL_ID, sent.message.ts)?.reactions).toBeUndefined();
    await expect(
      client.reactions.remove({ channel: HELP_CHANNEL_ID, timestamp: sent.message.ts, name: 'eyes' }),
    ).rejects.toMatchObject({ data: { error: 'no_reaction' } });
  });

  it('conversations.info answers channel_not_found for a channel the workspace lacks', async () => {
    await expect(fake.client().conversations.info({ channel: 'C0NOSUCH' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    expect((await fake.client().conversations.info({ channel: PRIVATE })).channel).toMatchObject({
      is_private: true,
      is_group: true,
    });
  });
});
