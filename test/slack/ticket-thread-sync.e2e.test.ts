import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadAdditions } from '../../src/db/schema/index.js';
import { signHelpscoutBody } from '../../src/http/helpscout-webhook.js';
import type { EmulatedMessage } from '../../src/playground/emulator/index.js';
import type { Ticket } from '../../src/support/tickets/index.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { FAKE_HELPSCOUT, FakeHelpScout } from '../harness/fake-helpscout.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

const ASKER = 'U0ASKER';
const RESPONDER = 'U0AGENT1';
const HELP = 'C0HELP';
const WEBHOOK_SECRET = 'hs-webhook-secret-9Qp';

function servicesYaml(helpscoutUrl: string): string {
  const node = JSON.stringify(process.execPath);
  const bin = JSON.stringify(DESKHAND_BIN);
  return `services:
  kb:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, kb]
    env: { KNOWLEDGE_DIR: ${JSON.stringify(resolve('knowledge'))} }
    timeout_ms: 30000
  helpscout:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, helpscout]
    env: { HELPSCOUT_APP_ID: ${FAKE_HELPSCOUT.appId}, HELPSCOUT_APP_SECRET: \${TEST_HELPSCOUT_SECRET}, HELPSCOUT_MAILBOX_ID: "${FAKE_HELPSCOUT.mailboxId}", HELPSCOUT_API_URL: ${helpscoutUrl} }
    timeout_ms: 30000
    retry_attempts: 1
`;
}

async function until<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('a ticket filed from a support thread stays in step with it', () => {
  const helpscout = new FakeHelpScout();
  let t: TestDeskhand;
  let root: EmulatedMessage;
  let ticket: Ticket;
  let card: EmulatedMessage;

  /** A person writes in the thread: the message appears and Slack delivers its `message` event. */
  async function threadReply(userId: string, text: string) {
    const delivery = await t.driver.channelMessage({ userId, channelId: HELP, text, threadTs: root.ts });
    expect(delivery.status).toBe(200);
    return delivery;
  }

  function postWebhook(event: string, body: string): Promise<Response> {
    return fetch(`${t.deskhand.url}/webhooks/helpscout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-helpscout-event': event,
        'x-helpscout-signature': signHelpscoutBody(body, WEBHOOK_SECRET),
      },
      body,
    });
  }

  const conversation = () => helpscout.conversation(Number(ticket.externalId));

  beforeAll(async () => {
    await helpscout.start();
    t = await startTestDeskhand({
      servicesYaml: servicesYaml(helpscout.url),
      env: {
        TEST_HELPSCOUT_SECRET: FAKE_HELPSCOUT.appSecret,
        HELPSCOUT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        SUPPORT_CHANNELS: HELP,
      },
    });

    // A request in the support channel: deskhand answers it in its thread with the card.
    root = (
      await t.driver.channelMessage({
        userId: ASKER,
        channelId: HELP,
        text: 'How do I reset my password? Login fails with error 42',
      })
    ).message;
    card = await t.slack.waitForMessage(
      (message) =>
        message.thread_ts === root.ts && /answer_create_ticket/.test(JSON.stringify(message.blocks ?? [])),
      15_000,
    );
    await t.driver.channelMessage({
      userId: ASKER,
      channelId: HELP,
      text: 'It started this morning',
      threadTs: root.ts,
    });
    const buttons = (card.blocks ?? []).flatMap(
      (block) => (block.elements as Array<{ action_id?: string; value?: string }> | undefined) ?? [],
    );
    const id = buttons.find((button) => button.action_id === 'answer_create_ticket')?.value as string;
    await t.driver.blockAction({
      userId: ASKER,
      message: { channel: HELP, ts: card.ts },
      action: { action_id: 'answer_create_ticket', value: id },
    });
    const open = await t.slack.waitForCall('views.open', () => true, 10_000);
    const submitted = await t.driver.viewSubmission({
      userId: ASKER,
      viewId: (open.response.view as { id: string }).id,
      values: { email_input: 'alex@example.com' },
    });
    expect(submitted.outcome).toBe('closed');
    ticket = await until(
      async () => (await t.deskhand.tickets.findForQuestion(id)) as Ticket,
      (found) => found?.status === 'created',
      15_000,
    );
  }, 90_000);
  afterAll(async () => {
    await t?.stop();
    await helpscout.close();
  });

  it('files the ticket with the thread so far', () => {
    const filed = conversation();
    expect(filed?.threads[0]?.text).toContain('--- The Slack thread so far ---');
    expect(filed?.threads[0]?.text).toContain(
      'Alex Asker: How do I reset my password? Login fails with error 42',
    );
    expect(filed?.threads[0]?.text).toContain('Alex Asker: It started this morning');
  });

  it("adds the asker's later reply to the conversation as the customer's, once, even when Slack retries it", async () => {
    const delivery = await threadReply(ASKER, 'Still failing after a restart');
    await until(
      () => conversation()?.threads.filter((thread) => thread.text === 'Still failing after a restart') ?? [],
      (threads) => threads.length === 1,
    );
    // Slack's retry of the same delivery, and the same message delivered again under a new event id.
    await t.driver.resend(delivery.request, { retryNum: 1, retryReason: 'http_timeout' });
    await t.driver.messageEvent(delivery.message);
    await t.deskhand.threadSync?.runOnce();
    await new Promise((done) => setTimeout(done, 300));
    const added =
      conversation()?.threads.filter((thread) => thread.text === 'Still failing after a restart') ?? [];
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ type: 'customer', customerId: conversation()?.customerId });
    const posts = helpscout.requests.filter(
      (request) =>
        request.method === 'POST' && request.path === `/v2/conversations/${ticket.externalId}/customer`,
    );
    expect(posts).toHaveLength(1);
  });

  it("adds a responder's reply as a note named after them", async () => {
    await threadReply(RESPONDER, 'Looking into it now');
    const note = await until(
      () => conversation()?.threads.find((thread) => thread.text.includes('Looking into it now')),
      (found) => found !== undefined,
    );
    expect(note).toMatchObject({ type: 'note', text: 'Sam Support in Slack: Looking into it now' });
  });

  it("posts the agent's reply in the thread once, named as the agent's and escaped, and never sends it back", async () => {
    const { webhookBody } = helpscout.agentReply(
      Number(ticket.externalId),
      { first: 'Dana', last: 'Scully' },
      'Clear the cache & try <!channel> again',
    );
    const first = await postWebhook('convo.agent.reply.created', webhookBody);
    expect(first.status).toBe(200);
    const posted = await t.slack.waitForMessage(
      (message) => message.thread_ts === root.ts && message.text.startsWith('*Dana (HelpScout)*:'),
    );
    expect(posted.text).toBe('*Dana (HelpScout)*: Clear the cache &amp; try &lt;!channel&gt; again');
    // HelpScout redelivers the webhook: nothing is posted twice.
    expect((await postWebhook('convo.agent.reply.created', webhookBody)).status).toBe(200);
    await t.deskhand.threadSync?.runOnce();
    await new Promise((done) => setTimeout(done, 300));
    const inThread = t.slack.workspace
      .allMessages()
      .filter((message) => message.thread_ts === root.ts && message.text.startsWith('*Dana (HelpScout)*'));
    expect(inThread).toHaveLength(1);

    // Slack echoes deskhand's post back as a message event: it never reaches HelpScout.
    const threadsBefore = conversation()?.threads.length;
    await t.driver.messageEvent(posted);
    await t.deskhand.threadSync?.runOnce();
    await new Promise((done) => setTimeout(done, 300));
    expect(conversation()?.threads.length).toBe(threadsBefore);

    // A customer-reply webhook for the thread deskhand added is not posted back to Slack either.
    expect(
      (await postWebhook('convo.customer.reply.created', helpscout.webhookBody(Number(ticket.externalId))))
        .status,
    ).toBe(200);
    await new Promise((done) => setTimeout(done, 300));
    expect(
      t.slack.workspace
        .allMessages()
        .filter((message) => message.thread_ts === root.ts && /Still failing/.test(message.text)),
    ).toHaveLength(1);
    const rows = await t.database.db
      .select()
      .from(threadAdditions)
      .where(eq(threadAdditions.ticketId, ticket.id));
    expect(rows.map((row) => [row.direction, row.kind, row.status]).sort()).toEqual([
      ['to_desk', 'customer', 'sent'],
      ['to_desk', 'note', 'sent'],
      ['to_slack', 'reply', 'sent'],
    ]);
  });

  it('shows a status change in HelpScout on the thread card', async () => {
    helpscout.setStatus(Number(ticket.externalId), 'closed');
    const answer = await postWebhook('convo.status', helpscout.webhookBody(Number(ticket.externalId)));
    expect(answer.status).toBe(200);
    const updated = await t.slack.waitForMessage(
      (message) => message.ts === card.ts && /closed/.test(JSON.stringify(message.blocks ?? [])),
    );
    expect(updated.thread_ts).toBe(root.ts);
  });

  it('keeps a reply pending while HelpScout is down and adds it once it is back', async () => {
    helpscout.failNext(3, { status: 503, body: { message: 'Service unavailable', logRef: 'down' } });
    await threadReply(ASKER, 'No change on my side');
    const [pending] = await until(
      () =>
        t.database.db.select().from(threadAdditions).where(eq(threadAdditions.text, 'No change on my side')),
      (rows) => rows[0]?.status === 'pending' && rows[0]?.lastError !== null,
    );
    expect(pending?.lastError).toMatch(/HelpScout/);
    await until(
      async () => {
        // As if the backoff had run out: the outbox tries it again.
        await t.database.db
          .update(threadAdditions)
          .set({ nextAttemptAt: new Date(0) })
          .where(eq(threadAdditions.text, 'No change on my side'));
        await t.deskhand.threadSync?.runOnce();
        return conversation()?.threads.filter((thread) => thread.text === 'No change on my side') ?? [];
      },
      (threads) => threads.length === 1,
      20_000,
    );
    const [sent] = await t.database.db
      .select()
      .from(threadAdditions)
      .where(eq(threadAdditions.text, 'No change on my side'));
    expect(sent?.status).toBe('sent');
  });
});
