import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema/index.js';
import { signHelpscoutBody } from '../../src/http/helpscout-webhook.js';
import { GENERAL_CHANNEL_ID } from '../../src/playground/emulator/index.js';
import type { Ticket } from '../../src/support/tickets/index.js';
import { startTicketApp, type TicketApp, WEBHOOK_SECRET } from '../slack/listeners/ticket-app.js';

const ASKER = 'U0ASKER';

/** A HelpScout Mailbox API 2.0 conversation, as its webhooks send it. */
function conversation(ticket: Ticket, overrides: Record<string, unknown> = {}) {
  return {
    id: Number(ticket.externalId),
    number: 4312,
    subject: ticket.subject,
    status: 'active',
    preview: 'Thanks, we are looking into it',
    modifiedAt: '2026-05-04T10:05:00Z',
    _embedded: {
      threads: [
        {
          id: 3,
          type: 'note',
          body: '<p>Internal: customer is on the legacy plan</p>',
          createdAt: '2026-05-04T10:06:00Z',
        },
        {
          id: 2,
          type: 'reply',
          body: '<p>Hi Alex,</p><p>Your password reset link is on its way &amp; valid for 1 hour.</p>',
          createdAt: '2026-05-04T10:05:00Z',
        },
        { id: 1, type: 'customer', body: 'My password expired', createdAt: '2026-05-04T09:00:00Z' },
      ],
    },
    ...overrides,
  };
}

async function post(
  t: TicketApp,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${t.url}/webhooks/helpscout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function signed(event: string, body: string, secret = WEBHOOK_SECRET): Record<string, string> {
  return { 'x-helpscout-event': event, 'x-helpscout-signature': signHelpscoutBody(body, secret) };
}

describe('HelpScout webhooks', () => {
  let t: TicketApp;
  let ticket: Ticket;
  let cardTs: string;

  beforeAll(async () => {
    t = await startTicketApp();
    // A ticket filed from an answer card, as the modal does it.
    const seen = new Set(t.slack.workspace.allMessages().map((message) => message.ts));
    await t.driver.slashCommand({
      userId: ASKER,
      text: 'my password expired',
      channelId: GENERAL_CHANNEL_ID,
    });
    const card = await t.slack.waitForMessage(
      (message) =>
        !seen.has(message.ts) &&
        message.ephemeralTo === ASKER &&
        /answer_create_ticket/.test(JSON.stringify(message.blocks)),
      10_000,
    );
    cardTs = card.ts;
    const buttons = (card.blocks ?? []).flatMap(
      (block) => (block.elements as Array<{ action_id?: string; value?: string }>) ?? [],
    );
    const questionId = buttons.find((button) => button.action_id === 'answer_create_ticket')?.value as string;
    const click = await t.driver.blockAction({
      userId: ASKER,
      message: { channel: card.channel, ts: card.ts },
      action: { action_id: 'answer_create_ticket', value: questionId },
    });
    const open = await t.slack.waitForCall('views.open');
    await t.driver.viewSubmission({ userId: ASKER, viewId: (open.response.view as { id: string }).id });
    expect(click.status).toBe(200);
    await t.slack.waitForMessage(
      (message) => message.ts === card.ts && /filed in HelpScout/.test(JSON.stringify(message.blocks)),
      10_000,
    );
    ticket = (await t.tickets.findForQuestion(questionId)) as Ticket;
    expect(ticket.status).toBe('created');
  });
  afterAll(async () => {
    await t?.stop();
  });

  async function storedTicket() {
    const [row] = await t.database.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    return row;
  }

  it('refuses a missing or wrong signature with 401 and changes nothing', async () => {
    const body = JSON.stringify(conversation(ticket, { status: 'closed' }));
    const before = await storedTicket();
    const missing = await post(t, body, { 'x-helpscout-event': 'convo.status' });
    const wrongSecret = await post(t, body, signed('convo.status', body, 'not-the-secret'));
    const tampered = await post(t, body.replace('closed', 'spam'), signed('convo.status', body));
    const garbage = await post(t, body, {
      'x-helpscout-event': 'convo.status',
      'x-helpscout-signature': 'abc',
    });
    expect([missing, wrongSecret, tampered, garbage].map((answer) => answer.status)).toEqual([
      401, 401, 401, 401,
    ]);
    expect(missing.json).toEqual({ error: 'invalid_signature' });
    expect(await storedTicket()).toEqual(before);
  });

  it('records a status change and shows it on the asker’s card', async () => {
    const body = JSON.stringify(conversation(ticket, { status: 'pending' }));
    const answer = await post(t, body, signed('convo.status', body));
    expect(answer).toEqual({ status: 200, json: { ok: true, ticket: ticket.id } });
    expect(await storedTicket()).toMatchObject({ externalStatus: 'pending', lastReplyText: null });
    await t.slack.waitForMessage(
      (message) => message.ts === cardTs && /Filed · pending/.test(JSON.stringify(message.blocks)),
      5_000,
    );
  });

  it('records the latest public reply (never an internal note) and shows it on the card', async () => {
    const body = JSON.stringify(conversation(ticket));
    const answer = await post(t, body, signed('convo.agent.reply.created', body));
    expect(answer.status).toBe(200);
    const row = await storedTicket();
    expect(row).toMatchObject({
      externalStatus: 'active',
      lastReplyText: 'Hi Alex,\nYour password reset link is on its way & valid for 1 hour.',
      lastReplyAt: new Date('2026-05-04T10:05:00Z'),
    });
    const card = await t.slack.waitForMessage(
      (message) => message.ts === cardTs && /Latest reply/.test(JSON.stringify(message.blocks)),
      5_000,
    );
    expect(JSON.stringify(card.blocks)).toContain('valid for 1 hour');
    expect(JSON.stringify(card.blocks)).not.toContain('legacy plan');
  });

  it('acknowledges conversations deskhand did not file, and events it does not follow, without storing anything', async () => {
    const other = JSON.stringify(conversation({ ...ticket, externalId: '987654321' }));
    expect(await post(t, other, signed('convo.customer.reply.created', other))).toEqual({
      status: 200,
      json: { ok: true, ticket: null },
    });
    const tags = JSON.stringify(conversation(ticket, { status: 'closed' }));
    expect((await post(t, tags, signed('convo.tags', tags))).status).toBe(200);
    expect((await storedTicket())?.externalStatus).not.toBe('closed');
  });

  it('answers 400 to a signed body that is not a conversation, and 413 to an oversized one', async () => {
    const notJson = 'hello';
    expect((await post(t, notJson, signed('convo.status', notJson))).status).toBe(400);
    const huge = JSON.stringify(conversation(ticket, { preview: 'x'.repeat(100 * 1024) }));
    expect((await post(t, huge, signed('convo.status', huge))).status).toBe(413);
  });
});

describe('HelpScout webhooks without a secret configured', () => {
  let t: TicketApp;
  beforeAll(async () => {
    t = await startTicketApp({ webhookSecret: undefined });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses every request, saying what to set', async () => {
    const body = JSON.stringify({ id: 1, status: 'closed' });
    const answer = await post(t, body, signed('convo.status', body));
    expect(answer.status).toBe(503);
    expect(String(answer.json.message)).toContain('HELPSCOUT_WEBHOOK_SECRET');
  });
});
