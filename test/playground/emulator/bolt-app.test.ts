import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BOT_USER_ID,
  DEFAULT_USER_ID,
  GENERAL_CHANNEL_ID,
  RESPONSE_URL_LIFETIME_MS,
} from '../../../src/playground/emulator/index.js';
import {
  type FakeSlack,
  startFakeSlack,
  TEST_BOT_TOKEN,
  TEST_SIGNING_SECRET,
} from '../../harness/fake-slack.js';
import { type SlackOutbound, slackDriver } from '../../harness/slack-driver.js';

const card = (text: string) => [
  { type: 'section', block_id: 'answer', text: { type: 'mrkdwn', text } },
  {
    type: 'actions',
    block_id: 'feedback',
    elements: [
      {
        type: 'button',
        action_id: 'answer_solved',
        value: 'q1',
        text: { type: 'plain_text', text: 'Solved' },
      },
      {
        type: 'button',
        action_id: 'answer_create_ticket',
        value: 'q1',
        text: { type: 'plain_text', text: 'Create ticket' },
      },
      {
        type: 'button',
        action_id: 'answer_dismiss',
        value: 'q1',
        text: { type: 'plain_text', text: 'Dismiss' },
      },
    ],
  },
];

const ticketModal = {
  type: 'modal' as const,
  callback_id: 'ticket_modal',
  title: { type: 'plain_text' as const, text: 'Create ticket' },
  submit: { type: 'plain_text' as const, text: 'Create' },
  blocks: [
    {
      type: 'input' as const,
      block_id: 'email',
      label: { type: 'plain_text' as const, text: 'Email' },
      element: { type: 'email_text_input' as const, action_id: 'value', initial_value: 'alex@example.com' },
    },
  ],
};

let fake: FakeSlack;
let server: Server;
let slack: SlackOutbound;

/** A small Bolt app on the real HTTP receiver, its WebClient on the fake: the way deskhand runs against it. */
beforeEach(async () => {
  fake = await startFakeSlack();
  const receiver = new HTTPReceiver({
    signingSecret: TEST_SIGNING_SECRET,
    endpoints: '/slack/events',
    logLevel: LogLevel.ERROR,
  });
  const bolt = new App({
    receiver,
    token: TEST_BOT_TOKEN,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
  });
  bolt.command('/support', async ({ ack, respond, command }) => {
    await ack({ response_type: 'ephemeral', text: `Looking up “${command.text}”…` });
    await respond({
      response_type: 'ephemeral',
      replace_original: true,
      text: 'answer',
      blocks: card('Reset it'),
    });
  });
  bolt.action('answer_solved', async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'Thanks, glad it helped', blocks: card('Solved') });
  });
  bolt.action('answer_dismiss', async ({ ack, respond }) => {
    await ack();
    await respond({ delete_original: true });
  });
  bolt.action('answer_create_ticket', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: ticketModal });
  });
  bolt.view('ticket_modal', async ({ ack, view }) => {
    const email = view.state.values.email?.value?.value ?? '';
    if (!email.includes('@')) {
      await ack({ response_action: 'errors', errors: { email: 'Enter an email address' } });
      return;
    }
    await ack();
  });
  bolt.event('app_mention', async ({ event, say }) => {
    await say({ text: `You said: ${event.text}`, thread_ts: event.ts });
  });

  server = createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  slack = slackDriver(fake, `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await fake.close();
});

async function askForCard() {
  await slack.slashCommand({ text: 'reset password' });
  return fake.waitForMessage((m) => m.text === 'answer');
}

describe('a Bolt app driven through the emulator', () => {
  it('a slash command’s ack is shown, then replaced in place by respond(replace_original)', async () => {
    const delivery = await slack.slashCommand({ text: 'reset password' });
    expect(delivery.status).toBe(200);

    const answer = await fake.waitForMessage((m) => m.text === 'answer');

    expect(fake.ephemeralFor(DEFAULT_USER_ID)).toEqual([answer]);
    expect(answer).toMatchObject({
      channel: GENERAL_CHANNEL_ID,
      ephemeralTo: DEFAULT_USER_ID,
      bot_id: 'B0DESKBOT',
    });
    const post = await fake.waitForCall('response_url');
    expect(post.args).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
  });

  it('a button’s response_url replace_original replaces the message that was clicked', async () => {
    const answer = await askForCard();

    await slack.blockAction({ message: answer, action: { action_id: 'answer_solved' } });
    const replaced = await fake.waitForMessage((m) => m.text === 'Thanks, glad it helped');

    expect(replaced.ts).toBe(answer.ts);
    expect(fake.ephemeralFor(DEFAULT_USER_ID)).toEqual([replaced]);
  });

  it('delete_original removes the message that was clicked', async () => {
    const answer = await askForCard();
    await slack.blockAction({ message: answer, action: { action_id: 'answer_dismiss' } });
    await fake.waitForCall('response_url', (call) => call.args.delete_original === true);
    expect(fake.ephemeralFor(DEFAULT_USER_ID)).toEqual([]);
  });

  it('a button opens a modal with its trigger_id; a refused submission keeps it open, a valid one closes it', async () => {
    const answer = await askForCard();
    await slack.blockAction({ message: answer, action: { action_id: 'answer_create_ticket' } });
    const opened = await fake.waitForCall('views.open');
    expect(opened.response.ok).toBe(true);
    const [view] = fake.workspace.openViews(DEFAULT_USER_ID);

    const refused = await slack.viewSubmission({ viewId: view!.id, values: { value: 'not-an-email' } });
    expect(refused).toMatchObject({ outcome: 'errors', errors: { email: 'Enter an email address' } });
    expect(fake.workspace.openViews(DEFAULT_USER_ID)).toHaveLength(1);

    // What the person typed stays in the field, as in Slack, until they correct it.
    const accepted = await slack.viewSubmission({ viewId: view!.id, values: { value: 'alex@work.example' } });
    expect(accepted.outcome).toBe('closed');
    expect(fake.workspace.openViews(DEFAULT_USER_ID)).toHaveLength(0);
  });

  it('an app mention is answered in its thread through chat.postMessage', async () => {
    const { message } = await slack.appMention({ text: 'hello' });
    const reply = await fake.waitForMessage((m) => m.user === BOT_USER_ID && m.thread_ts === message.ts);
    expect(reply.text).toBe(`You said: <@${BOT_USER_ID}> hello`);
    expect(fake.workspace.message(GENERAL_CHANNEL_ID, message.ts)?.reply_count).toBe(1);
  });

  it('answers Slack’s url_verification challenge', async () => {
    const delivery = await slack.urlVerification('the-challenge');
    expect(delivery.status).toBe(200);
    expect(delivery.body).toContain('the-challenge');
  });

  it('rejects a tampered signature with 401', async () => {
    const delivery = await slack.slashCommand({ text: 'q' }, { signature: 'v0=0000' });
    expect(delivery.status).toBe(401);
  });
});

describe('response URL limits', () => {
  it('a response URL works five times, then answers 404 used_url', async () => {
    const url = fake.responseUrls.issue({
      kind: 'command',
      userId: DEFAULT_USER_ID,
      channelId: GENERAL_CHANNEL_ID,
    });
    const post = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });

    for (let i = 1; i <= 5; i += 1) expect((await post(`reply ${i}`)).status).toBe(200);
    const sixth = await post('reply 6');

    expect(sixth.status).toBe(404);
    expect(await sixth.json()).toEqual({ ok: false, error: 'used_url' });
    expect(fake.ephemeralFor(DEFAULT_USER_ID).map((m) => m.text)).toEqual([
      'reply 1',
      'reply 2',
      'reply 3',
      'reply 4',
      'reply 5',
    ]);
  });

  it('a response URL older than 30 minutes answers 404 expired_url', async () => {
    let clock = Date.now();
    const timed = await startFakeSlack({ now: () => clock });
    try {
      const url = timed.responseUrls.issue({
        kind: 'action',
        userId: DEFAULT_USER_ID,
        channelId: GENERAL_CHANNEL_ID,
      });
      clock += RESPONSE_URL_LIFETIME_MS + 1;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'late' }),
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ ok: false, error: 'expired_url' });
    } finally {
      await timed.close();
    }
  });

  it('in_channel responses are seen by everyone, and a thread_ts puts them in the thread', async () => {
    const parent = fake.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: DEFAULT_USER_ID,
      text: 'q',
    });
    const url = fake.responseUrls.issue({
      kind: 'shortcut',
      userId: DEFAULT_USER_ID,
      channelId: GENERAL_CHANNEL_ID,
    });
    await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'in_channel', text: 'shared', thread_ts: parent.ts }),
    });
    const shared = fake.messagesIn(GENERAL_CHANNEL_ID).find((m) => m.text === 'shared');
    expect(shared).toMatchObject({ thread_ts: parent.ts, user: BOT_USER_ID });
    expect(shared?.ephemeralTo).toBeUndefined();
  });
});
