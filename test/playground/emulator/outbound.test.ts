import { verifySlackRequest } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BOT_DM_CHANNEL_ID,
  BOT_USER_ID,
  DEFAULT_USER_ID,
  GENERAL_CHANNEL_ID,
  type WorkspaceChange,
} from '../../../src/playground/emulator/index.js';
import { type FakeSlack, startFakeSlack, TEST_SIGNING_SECRET } from '../../harness/fake-slack.js';
import {
  decodeSlackBody,
  type SlackOutbound,
  slackDriver,
  staleTimestamp,
  tamperedSignature,
} from '../../harness/slack-driver.js';
import { type ReceivedRequest, RecordingApp } from './recording-app.js';

let fake: FakeSlack;
let app: RecordingApp;
let slack: SlackOutbound;

beforeEach(async () => {
  fake = await startFakeSlack();
  app = await new RecordingApp().start();
  slack = slackDriver(fake, app.url);
});

afterEach(async () => {
  await app.stop();
  await fake.close();
});

function verify(request: ReceivedRequest, nowMilliseconds?: number): void {
  verifySlackRequest({
    signingSecret: TEST_SIGNING_SECRET,
    body: request.body,
    headers: {
      'x-slack-signature': String(request.headers['x-slack-signature']),
      'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
    },
    ...(nowMilliseconds !== undefined ? { nowMilliseconds } : {}),
  });
}

function payloadOf(request: ReceivedRequest): Record<string, unknown> {
  return decodeSlackBody(request.body, String(request.headers['content-type']));
}

const answerCard = [
  { type: 'section', block_id: 'answer', text: { type: 'mrkdwn', text: 'Reset it here' } },
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
    ],
  },
];

describe('signatures', () => {
  it('every kind of request verifies with Bolt’s own verifier', async () => {
    const card = fake.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: 'B0DESKBOT',
      text: 'card',
      blocks: answerCard,
    });
    await slack.slashCommand({ text: 'how do I reset my password?' });
    await slack.blockAction({ message: card, action: { action_id: 'answer_solved' } });
    await slack.messageShortcut({ channelId: GENERAL_CHANNEL_ID, messageTs: card.ts });
    await slack.appMention({ text: 'help' });
    await slack.urlVerification('abc');

    expect(app.received).toHaveLength(5);
    for (const request of app.received) expect(() => verify(request)).not.toThrow();
  });

  it('a tampered signature, a wrong secret, a stale timestamp and a changed body do not verify', async () => {
    const good = await slack.slashCommand({ text: 'q' });
    await slack.slashCommand(
      { text: 'q' },
      { signature: tamperedSignature(good.request.headers['x-slack-signature'] ?? '') },
    );
    await slack.slashCommand({ text: 'q' }, { signingSecret: 'not-the-secret' });
    await slack.slashCommand({ text: 'q' }, { timestamp: staleTimestamp() });
    const [valid, tampered, wrongSecret, stale] = app.received;

    expect(() => verify(valid!)).not.toThrow();
    expect(() => verify(tampered!)).toThrow(/signature mismatch/);
    expect(() => verify(wrongSecret!)).toThrow(/signature mismatch/);
    expect(() => verify(stale!)).toThrow(/stale/);
    expect(() => verify({ ...valid!, body: valid!.body.replace('text=q', 'text=x') })).toThrow(
      /signature mismatch/,
    );
  });

  it('a retry resends the same bytes with Slack’s retry headers', async () => {
    const first = await slack.appMention({ text: 'hello' });
    await slack.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    const [original, retry] = app.received;

    expect(retry!.body).toBe(original!.body);
    expect(retry!.headers['x-slack-signature']).toBe(original!.headers['x-slack-signature']);
    expect(retry!.headers['x-slack-retry-num']).toBe('1');
    expect(retry!.headers['x-slack-retry-reason']).toBe('http_timeout');
    expect(original!.headers['x-slack-retry-num']).toBeUndefined();
  });
});

describe('slash commands', () => {
  it('are form-encoded with Slack’s fields, a response URL and a trigger the Web API accepts', async () => {
    const delivery = await slack.slashCommand({ text: 'reset password', channelId: BOT_DM_CHANNEL_ID });
    const request = app.last();

    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const fields = payloadOf(request);
    expect(Object.keys(fields)).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(fields).toMatchObject({
      team_id: 'T0DESKHAND',
      channel_id: BOT_DM_CHANNEL_ID,
      channel_name: 'directmessage',
      user_id: DEFAULT_USER_ID,
      user_name: 'alex',
      command: '/support',
      text: 'reset password',
      is_enterprise_install: 'false',
      response_url: delivery.responseUrl,
      trigger_id: delivery.triggerId,
    });
    expect(delivery.responseUrl?.startsWith(`${fake.origin}/response/`)).toBe(true);

    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    await expect(
      fake.client().views.open({ trigger_id: delivery.triggerId ?? '', view: modal }),
    ).resolves.toMatchObject({ ok: true });
  });

  it('an ack with a message shows it to the asker only, as the command’s first response', async () => {
    app.reply = () => ({ body: { response_type: 'ephemeral', text: 'Looking it up…' } });
    await slack.slashCommand({ text: 'q' });

    expect(fake.ephemeralFor(DEFAULT_USER_ID)).toEqual([
      expect.objectContaining({ channel: GENERAL_CHANNEL_ID, text: 'Looking it up…', bot_id: 'B0DESKBOT' }),
    ]);
  });

  it('an app that fails shows Slack’s dispatch_failed line to the asker', async () => {
    app.reply = () => ({ status: 401 });
    const delivery = await slack.slashCommand({ text: 'q' });
    expect(delivery.status).toBe(401);
    expect(fake.ephemeralFor(DEFAULT_USER_ID)[0]?.text).toBe(
      '/support failed with the error "dispatch_failed"',
    );
  });
});

describe('interactions', () => {
  it('block_actions from a message carry container, channel, message, user, response_url and the action', async () => {
    const card = fake.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: 'B0DESKBOT',
      text: 'card',
      blocks: answerCard,
    });

    const delivery = await slack.blockAction({ message: card, action: { action_id: 'answer_solved' } });

    const payload = payloadOf(app.last());
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: DEFAULT_USER_ID, username: 'alex', name: 'alex', team_id: 'T0DESKHAND' },
      api_app_id: 'A0DESKHAND',
      team: { id: 'T0DESKHAND', domain: 'deskhand' },
      container: {
        type: 'message',
        message_ts: card.ts,
        channel_id: GENERAL_CHANNEL_ID,
        is_ephemeral: false,
      },
      channel: { id: GENERAL_CHANNEL_ID, name: 'general' },
      message: { ts: card.ts, text: 'card', bot_id: 'B0DESKBOT', blocks: answerCard },
      response_url: delivery.responseUrl,
      trigger_id: delivery.triggerId,
      actions: [
        {
          type: 'button',
          action_id: 'answer_solved',
          block_id: 'feedback',
          value: 'q1',
          text: { type: 'plain_text', text: 'Solved' },
        },
      ],
    });
  });

  it('block_actions from an ephemeral message leave the message out, as Slack does', async () => {
    const card = fake.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: 'B0DESKBOT',
      text: 'card',
      blocks: answerCard,
      ephemeralTo: DEFAULT_USER_ID,
    });
    await slack.blockAction({ message: card, action: { action_id: 'answer_solved' } });
    const payload = payloadOf(app.last());
    expect(payload.container).toMatchObject({ is_ephemeral: true, message_ts: card.ts });
    expect(payload.message).toBeUndefined();
  });

  it('a message shortcut sends message_action with the message, a response URL and a trigger', async () => {
    const question = fake.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: 'U0AGENT1',
      text: 'Is the API down?',
    });
    await slack.messageShortcut({ channelId: GENERAL_CHANNEL_ID, messageTs: question.ts });
    expect(payloadOf(app.last())).toMatchObject({
      type: 'message_action',
      callback_id: 'ask_support',
      message_ts: question.ts,
      message: { text: 'Is the API down?', user: 'U0AGENT1' },
      channel: { id: GENERAL_CHANNEL_ID },
      user: { id: DEFAULT_USER_ID },
      response_url: expect.stringContaining('/response/'),
      trigger_id: expect.any(String),
    });
  });
});

describe('modals', () => {
  const ticketModal = {
    type: 'modal',
    callback_id: 'ticket_modal',
    private_metadata: '{"questionId":"q1"}',
    title: { type: 'plain_text', text: 'Create ticket' },
    submit: { type: 'plain_text', text: 'Create' },
    blocks: [
      {
        type: 'input',
        block_id: 'subject',
        label: { type: 'plain_text', text: 'Subject' },
        element: { type: 'plain_text_input', action_id: 'value', initial_value: 'Password reset' },
      },
      {
        type: 'input',
        block_id: 'email',
        label: { type: 'plain_text', text: 'Email' },
        element: { type: 'email_text_input', action_id: 'value', initial_value: 'alex@example.com' },
      },
      {
        type: 'input',
        block_id: 'priority',
        label: { type: 'plain_text', text: 'Priority' },
        element: {
          type: 'static_select',
          action_id: 'priority_select',
          options: [
            { text: { type: 'plain_text', text: 'Normal' }, value: 'normal' },
            { text: { type: 'plain_text', text: 'Urgent' }, value: 'urgent' },
          ],
          initial_option: { text: { type: 'plain_text', text: 'Normal' }, value: 'normal' },
        },
      },
    ],
  };

  it('view_submission carries state.values built from the inputs: entered values over initial ones', async () => {
    const view = fake.workspace.openView(DEFAULT_USER_ID, ticketModal);

    await slack.viewSubmission({
      viewId: view.id,
      values: { priority_select: 'urgent', 'subject.value': 'SSO broken' },
    });

    expect(payloadOf(app.last())).toMatchObject({
      type: 'view_submission',
      user: { id: DEFAULT_USER_ID },
      view: {
        id: view.id,
        callback_id: 'ticket_modal',
        private_metadata: '{"questionId":"q1"}',
        state: {
          values: {
            subject: { value: { type: 'plain_text_input', value: 'SSO broken' } },
            email: { value: { type: 'email_text_input', value: 'alex@example.com' } },
            priority: {
              priority_select: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: 'Urgent' }, value: 'urgent' },
              },
            },
          },
        },
      },
    });
  });

  it('an empty ack closes the modal; response_action errors keeps it open; update replaces it', async () => {
    const changes: WorkspaceChange['type'][] = [];
    fake.workspace.changes.on('change', (change) => changes.push(change.type));

    app.reply = () => ({ body: { response_action: 'errors', errors: { email: 'Enter a valid email' } } });
    const view = fake.workspace.openView(DEFAULT_USER_ID, ticketModal);
    const refused = await slack.viewSubmission({ viewId: view.id, values: { email: 'nope' } });
    expect(refused).toMatchObject({ outcome: 'errors', errors: { email: 'Enter a valid email' } });
    expect(fake.workspace.view(view.id)).toBeDefined();

    app.reply = () => ({
      body: { response_action: 'update', view: { ...ticketModal, callback_id: 'next' } },
    });
    expect((await slack.viewSubmission({ viewId: view.id })).outcome).toBe('updated');
    expect(fake.workspace.view(view.id)?.view.callback_id).toBe('next');

    app.reply = () => ({});
    expect((await slack.viewSubmission({ viewId: view.id })).outcome).toBe('closed');
    expect(fake.workspace.view(view.id)).toBeUndefined();
    expect(changes).toEqual(['view_opened', 'view_errors', 'view_updated', 'view_closed']);
  });
});

describe('events', () => {
  it('an app mention appears in the channel and arrives as a signed event_callback envelope', async () => {
    const delivery = await slack.appMention({ text: 'is billing down?', channelId: GENERAL_CHANNEL_ID });
    const request = app.last();

    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toMatchObject({
      type: 'event_callback',
      team_id: 'T0DESKHAND',
      api_app_id: 'A0DESKHAND',
      event_id: delivery.eventId,
      event_time: expect.any(Number),
      authorizations: [{ team_id: 'T0DESKHAND', user_id: BOT_USER_ID, is_bot: true }],
      event: {
        type: 'app_mention',
        user: DEFAULT_USER_ID,
        text: `<@${BOT_USER_ID}> is billing down?`,
        ts: delivery.message.ts,
        channel: GENERAL_CHANNEL_ID,
        event_ts: delivery.message.ts,
      },
    });
    expect(delivery.eventId).toMatch(/^Ev0/);
    expect(fake.messagesIn(GENERAL_CHANNEL_ID).map((m) => m.text)).toEqual([
      `<@${BOT_USER_ID}> is billing down?`,
    ]);
  });

  it('a direct message arrives as a message event with channel_type im', async () => {
    await slack.directMessage({ text: 'hi there' });
    expect(JSON.parse(app.last().body).event).toMatchObject({
      type: 'message',
      channel: BOT_DM_CHANNEL_ID,
      channel_type: 'im',
      user: DEFAULT_USER_ID,
      text: 'hi there',
    });
  });
});
