import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient, WebClientEvent } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BOT_DM_CHANNEL_ID,
  DEFAULT_USER_ID,
  GENERAL_CHANNEL_ID,
  SlackEmulator,
  type WorkspaceChange,
} from '../../../src/playground/emulator/index.js';
import { type FakeSlack, startFakeSlack, TEST_BOT_TOKEN } from '../../harness/fake-slack.js';

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = fake.client();
});

afterEach(async () => {
  await fake.close();
});

describe('messages through the real WebClient', () => {
  it('chat.postMessage posts as the bot with its blocks and returns channel, ts and message', async () => {
    const result = await client.chat.postMessage({
      channel: GENERAL_CHANNEL_ID,
      text: 'fallback',
      blocks: [section('*Hello*')],
    });

    expect(result.ok).toBe(true);
    expect(result.channel).toBe(GENERAL_CHANNEL_ID);
    expect(result.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(result.message).toMatchObject({ text: 'fallback', user: 'U0DESKBOT', bot_id: 'B0DESKBOT' });
    const [stored] = fake.messagesIn(GENERAL_CHANNEL_ID);
    expect(stored).toMatchObject({ ts: result.ts, blocks: [section('*Hello*')] });
    expect(stored?.ephemeralTo).toBeUndefined();
    expect(fake.calls('chat.postMessage')[0]?.args.blocks).toEqual([section('*Hello*')]);
  });

  it('gives every message a unique, increasing ts', async () => {
    const tss: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { ts } = await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: `n${i}` });
      tss.push(ts ?? '');
    }
    expect(new Set(tss).size).toBe(5);
    expect([...tss].sort()).toEqual(tss);
  });

  it('posting to a user id lands in the DM with the bot', async () => {
    const result = await client.chat.postMessage({ channel: DEFAULT_USER_ID, text: 'hi' });
    expect(result.channel).toBe(BOT_DM_CHANNEL_ID);
  });

  it('refuses a message without text or blocks, with too many blocks, or to an unknown channel', async () => {
    await expect(client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: '' })).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'no_text' },
    });
    const tooMany = Array.from({ length: 51 }, (_, i) => section(`${i}`));
    await expect(
      client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'x', blocks: tooMany }),
    ).rejects.toMatchObject({ data: { error: 'invalid_blocks' } });
    await expect(client.chat.postMessage({ channel: 'C0NOWHERE', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    expect(fake.messagesIn(GENERAL_CHANNEL_ID)).toHaveLength(0);
  });

  it('chat.update replaces the message in place and emits message_changed', async () => {
    const changes: WorkspaceChange[] = [];
    fake.workspace.changes.on('change', (change) => changes.push(change));
    const posted = await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'before' });

    const updated = await client.chat.update({
      channel: GENERAL_CHANNEL_ID,
      ts: posted.ts ?? '',
      text: 'after',
      blocks: [section('after')],
    });

    expect(updated).toMatchObject({ ok: true, channel: GENERAL_CHANNEL_ID, ts: posted.ts, text: 'after' });
    expect(fake.messagesIn(GENERAL_CHANNEL_ID)).toHaveLength(1);
    expect(fake.messagesIn(GENERAL_CHANNEL_ID)[0]).toMatchObject({
      text: 'after',
      blocks: [section('after')],
    });
    expect(changes.map((c) => c.type)).toEqual(['message', 'message_changed']);
  });

  it('chat.update answers message_not_found and cant_update_message like Slack', async () => {
    await expect(
      client.chat.update({ channel: GENERAL_CHANNEL_ID, ts: '1700000000.000100', text: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'message_not_found' } });

    const human = fake.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: DEFAULT_USER_ID,
      text: 'mine',
    });
    await expect(
      client.chat.update({ channel: GENERAL_CHANNEL_ID, ts: human.ts, text: 'x' }),
    ).rejects.toMatchObject({
      data: { error: 'cant_update_message' },
    });
  });

  it('chat.postEphemeral shows the message to one user only and returns message_ts', async () => {
    const result = await client.chat.postEphemeral({
      channel: GENERAL_CHANNEL_ID,
      user: DEFAULT_USER_ID,
      text: 'just for you',
    });

    expect(result.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(fake.ephemeralFor(DEFAULT_USER_ID)).toEqual([
      expect.objectContaining({ ts: result.message_ts, text: 'just for you', ephemeralTo: DEFAULT_USER_ID }),
    ]);
    const history = await client.conversations.history({ channel: GENERAL_CHANNEL_ID });
    expect(history.messages).toEqual([]);
    await expect(
      client.chat.postEphemeral({ channel: GENERAL_CHANNEL_ID, user: 'U0NOBODY', text: 'x' }),
    ).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('threads, history, replies, permalinks, reactions and deletes', async () => {
    const parent = await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'parent' });
    const reply = await client.chat.postMessage({
      channel: GENERAL_CHANNEL_ID,
      text: 'reply',
      thread_ts: parent.ts ?? '',
    });

    const history = await client.conversations.history({ channel: GENERAL_CHANNEL_ID });
    expect(history.messages?.map((m) => [m.text, m.reply_count])).toEqual([['parent', 1]]);
    const replies = await client.conversations.replies({ channel: GENERAL_CHANNEL_ID, ts: parent.ts ?? '' });
    expect(replies.messages?.map((m) => m.text)).toEqual(['parent', 'reply']);

    const link = await client.chat.getPermalink({ channel: GENERAL_CHANNEL_ID, message_ts: reply.ts ?? '' });
    expect(link.permalink).toBe(
      `https://deskhand.slack.com/archives/${GENERAL_CHANNEL_ID}/p${reply.ts?.replace('.', '')}?thread_ts=${parent.ts}&cid=${GENERAL_CHANNEL_ID}`,
    );

    await client.reactions.add({ channel: GENERAL_CHANNEL_ID, timestamp: parent.ts ?? '', name: 'eyes' });
    await expect(
      client.reactions.add({ channel: GENERAL_CHANNEL_ID, timestamp: parent.ts ?? '', name: 'eyes' }),
    ).rejects.toMatchObject({ data: { error: 'already_reacted' } });

    await client.chat.delete({ channel: GENERAL_CHANNEL_ID, ts: reply.ts ?? '' });
    expect(
      fake.messagesIn(GENERAL_CHANNEL_ID).map((m) => [m.text, m.reply_count, m.reactions?.[0]?.name]),
    ).toEqual([['parent', 0, 'eyes']]);
  });
});

describe('users and conversations', () => {
  it('users.info returns the profile email, and user_not_found for a stranger', async () => {
    const { user } = await client.users.info({ user: DEFAULT_USER_ID });
    expect(user).toMatchObject({ id: DEFAULT_USER_ID, real_name: 'Alex Asker', is_bot: false });
    expect(user?.profile?.email).toBe('alex@example.com');
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
  });

  it('conversations.info tells a DM from a public channel', async () => {
    const dm = await client.conversations.info({ channel: BOT_DM_CHANNEL_ID });
    const general = await client.conversations.info({ channel: GENERAL_CHANNEL_ID });
    expect(dm.channel).toMatchObject({ is_im: true, is_private: true, user: DEFAULT_USER_ID });
    expect(general.channel).toMatchObject({ is_im: false, is_private: false, name: 'general' });
  });

  it('conversations.info hides a private channel the bot was not added to, as Slack does', async () => {
    const created = Math.floor(Date.now() / 1000);
    fake.workspace.addChannel({
      id: 'G0NOTIN',
      name: 'hidden',
      kind: 'private',
      created,
      botIsMember: false,
    });
    fake.workspace.addChannel({ id: 'C0NOTIN', name: 'open', kind: 'public', created, botIsMember: false });
    await expect(client.conversations.info({ channel: 'G0NOTIN' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    const open = await client.conversations.info({ channel: 'C0NOTIN' });
    expect(open.channel).toMatchObject({ is_private: false, is_member: false });
  });
});

describe('views', () => {
  const modal = {
    type: 'modal' as const,
    callback_id: 'ticket_modal',
    title: { type: 'plain_text' as const, text: 'Ticket' },
    blocks: [section('Describe it')],
  };

  it('views.open opens a modal with a trigger the emulator issued, and views.update replaces it', async () => {
    const trigger = fake.workspace.issueTrigger(DEFAULT_USER_ID);

    const opened = await client.views.open({ trigger_id: trigger, view: modal });

    expect(opened.view).toMatchObject({ callback_id: 'ticket_modal', team_id: 'T0DESKHAND', type: 'modal' });
    expect(opened.view?.id).toMatch(/^V0/);
    expect(fake.workspace.openViews(DEFAULT_USER_ID).map((v) => v.id)).toEqual([opened.view?.id]);

    const updated = await client.views.update({
      view_id: opened.view?.id ?? '',
      hash: opened.view?.hash ?? '',
      view: { ...modal, title: { type: 'plain_text', text: 'Ticket 2' } },
    });
    expect(updated.view?.title).toEqual({ type: 'plain_text', text: 'Ticket 2' });
    await expect(
      client.views.update({ view_id: opened.view?.id ?? '', hash: opened.view?.hash ?? '', view: modal }),
    ).rejects.toMatchObject({ data: { error: 'hash_conflict' } });
  });

  it('refuses a trigger older than 3 seconds, one already used, and one it never issued', async () => {
    let clock = Date.now();
    const timed = await startFakeSlack({ now: () => clock });
    try {
      const timedClient = timed.client();
      const stale = timed.workspace.issueTrigger(DEFAULT_USER_ID);
      clock += 3001;
      await expect(timedClient.views.open({ trigger_id: stale, view: modal })).rejects.toMatchObject({
        data: { error: 'expired_trigger_id' },
      });

      const fresh = timed.workspace.issueTrigger(DEFAULT_USER_ID);
      await timedClient.views.open({ trigger_id: fresh, view: modal });
      await expect(timedClient.views.open({ trigger_id: fresh, view: modal })).rejects.toMatchObject({
        data: { error: 'expired_trigger_id' },
      });

      await expect(timedClient.views.open({ trigger_id: '123.456.abc', view: modal })).rejects.toMatchObject({
        data: { error: 'invalid_trigger_id' },
      });
      expect(timed.workspace.openViews()).toHaveLength(1);
    } finally {
      await timed.close();
    }
  });

  it('views.push stacks a view on the open modal', async () => {
    await client.views.open({ trigger_id: fake.workspace.issueTrigger(DEFAULT_USER_ID), view: modal });
    const pushed = await client.views.push({
      trigger_id: fake.workspace.issueTrigger(DEFAULT_USER_ID),
      view: modal,
    });
    expect(pushed.view?.previous_view_id).toMatch(/^V0/);
    expect(fake.workspace.viewStack(pushed.view?.id ?? '')).toHaveLength(2);
  });
});

describe('auth and faults', () => {
  it('a wrong token surfaces as an invalid_auth platform error; no token is not_authed', async () => {
    await expect(fake.client({}, 'xoxb-wrong').auth.test()).rejects.toMatchObject({
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'invalid_auth' },
    });
    await expect(new WebClient(undefined, { slackApiUrl: fake.apiUrl }).auth.test()).rejects.toMatchObject({
      data: { error: 'not_authed' },
    });
  });

  it('auth.test names the bot and the team', async () => {
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      user_id: 'U0DESKBOT',
      bot_id: 'B0DESKBOT',
      team_id: 'T0DESKHAND',
    });
  });

  it('a 429 with Retry-After is retried by the WebClient, which then succeeds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const rateLimited: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));

    const result = await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'eventually' });

    expect(result.ok).toBe(true);
    expect(rateLimited).toEqual([1]);
    expect(fake.calls('chat.postMessage').map((c) => [c.status, c.response.error])).toEqual([
      [429, 'ratelimited'],
      [200, undefined],
    ]);
    expect(fake.messagesIn(GENERAL_CHANNEL_ID)).toHaveLength(1);
  });

  it('the 429 carries Retry-After and Slack’s ratelimited body', async () => {
    fake.failNext('auth.test', { status: 429, retryAfterSeconds: 7 });
    const response = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_BOT_TOKEN}` },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('an injected Slack error fails the next calls only, as many times as asked', async () => {
    fake.failNext('users.info', { error: 'invalid_auth' }, 2);
    await expect(client.users.info({ user: DEFAULT_USER_ID })).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    await expect(client.users.info({ user: DEFAULT_USER_ID })).rejects.toMatchObject({
      data: { error: 'invalid_auth' },
    });
    await expect(client.users.info({ user: DEFAULT_USER_ID })).resolves.toMatchObject({ ok: true });
  });

  it('an injected 500 is an HTTP error that the WebClient retries', async () => {
    fake.failNext('auth.test', { status: 500 });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    expect(fake.calls('auth.test').map((c) => c.status)).toEqual([500, 200]);
  });

  it('answers unknown_method for methods it does not emulate', async () => {
    await expect(client.apiCall('admin.teams.create', {})).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });
});

describe('request formats and routing', () => {
  it('accepts JSON bodies with a bearer token, as Slack does', async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${TEST_BOT_TOKEN}`,
      },
      body: JSON.stringify({ channel: GENERAL_CHANNEL_ID, text: 'json', blocks: [section('json')] }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: GENERAL_CHANNEL_ID });
    expect(fake.messagesIn(GENERAL_CHANNEL_ID)[0]?.blocks).toEqual([section('json')]);
  });

  it('waitForCall resolves with a call still to come', async () => {
    const waiting = fake.waitForCall('chat.postMessage', (call) => call.args.text === 'second');
    await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'first' });
    await client.chat.postMessage({ channel: GENERAL_CHANNEL_ID, text: 'second' });
    expect((await waiting).response).toMatchObject({ ok: true });
  });

  it('mounted on a host server, serves only its own routes under basePath', async () => {
    const emulator = new SlackEmulator({
      botToken: TEST_BOT_TOKEN,
      signingSecret: 'secret',
      basePath: '/slack-emulator',
    });
    const host = createServer((req, res) => {
      void emulator.handle(req, res).then((handled) => {
        if (!handled) res.writeHead(418).end('host route');
      });
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    try {
      emulator.origin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
      expect(emulator.apiUrl).toBe(`${emulator.origin}/slack-emulator/api/`);

      const mounted = new WebClient(TEST_BOT_TOKEN, { slackApiUrl: emulator.apiUrl });
      await expect(mounted.auth.test()).resolves.toMatchObject({ ok: true });
      const other = await fetch(`${emulator.origin}/api/auth.test`, { method: 'POST' });
      expect(other.status).toBe(418);
      const responseUrl = emulator.responseUrls.issue({
        kind: 'command',
        userId: DEFAULT_USER_ID,
        channelId: GENERAL_CHANNEL_ID,
      });
      expect(responseUrl.startsWith(`${emulator.origin}/slack-emulator/response/`)).toBe(true);
    } finally {
      host.closeAllConnections();
      await new Promise<void>((resolve) => host.close(() => resolve()));
    }
  });
});
