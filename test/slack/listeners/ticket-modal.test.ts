import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../../src/db/schema/index.js';
import type { EmulatedMessage, RecordedCall } from '../../../src/playground/emulator/index.js';
import { GENERAL_CHANNEL_ID } from '../../../src/playground/emulator/index.js';
import { startTicketApp, type TicketApp } from './ticket-app.js';

const ASKER = 'U0ASKER';

function textOf(value: unknown): string {
  return JSON.stringify(value ?? '');
}

type ModalView = { id: string; blocks: Array<{ block_id: string; element: Record<string, unknown> }> };

/** Asks a question with /support and returns the answer card the asker sees. */
async function ask(t: TicketApp, text: string): Promise<EmulatedMessage> {
  const seen = new Set(t.slack.workspace.allMessages().map((message) => message.ts));
  await t.driver.slashCommand({ userId: ASKER, text, channelId: GENERAL_CHANNEL_ID });
  return t.slack.waitForMessage(
    (message) =>
      !seen.has(message.ts) &&
      message.ephemeralTo === ASKER &&
      /answer_create_ticket/.test(textOf(message.blocks)),
    10_000,
  );
}

function questionIdOn(card: EmulatedMessage): string {
  const buttons = (card.blocks ?? []).flatMap(
    (block) => (block.elements as Array<{ action_id?: string; value?: string }> | undefined) ?? [],
  );
  const id = buttons.find((button) => button.action_id === 'answer_create_ticket')?.value;
  if (!id) throw new Error('no question id on the card');
  return id;
}

/** Clicks "Create ticket" and returns the modal Slack opened (after the email was added, when it was). */
async function clickCreateTicket(
  t: TicketApp,
  card: EmulatedMessage,
): Promise<{ view: ModalView; open: RecordedCall }> {
  const before = t.slack.calls('views.open').length;
  const click = await t.driver.blockAction({
    userId: ASKER,
    message: { channel: card.channel, ts: card.ts },
    action: { action_id: 'answer_create_ticket', value: questionIdOn(card) },
  });
  expect(click.status).toBe(200);
  const open = await t.slack.waitForCall(
    'views.open',
    () => t.slack.calls('views.open').length > before,
    5_000,
  );
  const opened = open.response.view as ModalView;
  await t.slack.waitForCall('views.update', (call) => call.args.view_id === opened.id, 5_000);
  const view = t.slack.workspace.view(opened.id)?.view as unknown as ModalView;
  return { view, open };
}

function input(view: ModalView, blockId: string): Record<string, unknown> {
  const block = view.blocks.find((candidate) => candidate.block_id === blockId);
  if (!block) throw new Error(`no ${blockId} block in the modal`);
  return block.element;
}

async function ticketRows(t: TicketApp, questionId: string) {
  return t.database.db.select().from(tickets).where(eq(tickets.questionId, questionId));
}

async function cardAfter(t: TicketApp, card: EmulatedMessage, pattern: RegExp): Promise<EmulatedMessage> {
  return t.slack.waitForMessage(
    (message) => message.ts === card.ts && pattern.test(textOf(message.blocks)),
    10_000,
  );
}

describe('creating a ticket from an answer card', () => {
  let t: TicketApp;
  beforeAll(async () => {
    t = await startTicketApp();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('opens the modal at once, prefilled from the answer, and then adds the asker’s email', async () => {
    const card = await ask(t, 'How do I reset my password?');
    const { view, open } = await clickCreateTicket(t, card);
    expect(open.status).toBe(200);
    expect(input(view, 'subject').initial_value).toBe('How do I reset my password?');
    const description = String(input(view, 'description').initial_value);
    expect(description).toContain('How do I reset my password?');
    expect(description).toContain(
      'Knowledge base: "Reset your password" <https://help.acme.example/articles/reset-password>',
    );
    expect(input(view, 'priority').initial_option).toMatchObject({ value: 'normal' });
    expect(input(view, 'type').initial_option).toMatchObject({ value: 'email' });
    expect(input(view, 'email').initial_value).toBe('alex@example.com');

    // The trigger is spent on views.open before anything slower (users.info) is asked.
    const methods = t.slack.calls().map((call) => call.method);
    const opened = methods.lastIndexOf('views.open');
    expect(methods.indexOf('users.info', opened)).toBeGreaterThan(opened);
    const metadata = JSON.parse(String((open.args.view as { private_metadata: string }).private_metadata));
    expect(metadata).toMatchObject({ q: questionIdOn(card), c: GENERAL_CHANNEL_ID });
    expect(metadata.u).toMatch(/\/response\//);
  });

  it('answers invalid input inside the modal and stores nothing', async () => {
    const card = await ask(t, 'password reset email never arrives');
    const { view } = await clickCreateTicket(t, card);
    const submitted = await t.driver.viewSubmission({
      userId: ASKER,
      viewId: view.id,
      values: { subject_input: '   ', email_input: 'not-an-email' },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.outcome).toBe('errors');
    expect(Object.keys(submitted.errors ?? {}).sort()).toEqual(['email', 'subject']);
    expect(await ticketRows(t, questionIdOn(card))).toHaveLength(0);
  });

  it('files the ticket in HelpScout and turns the asker’s card into the ticket card', async () => {
    const card = await ask(t, 'password expired while travelling');
    const { view } = await clickCreateTicket(t, card);
    const submitted = await t.driver.viewSubmission({
      userId: ASKER,
      viewId: view.id,
      values: { subject_input: 'Password expired abroad', priority_select: 'high' },
    });
    expect(submitted.outcome).toBe('closed');
    const ticketCard = await cardAfter(t, card, /filed in HelpScout/);
    const [row] = await ticketRows(t, questionIdOn(card));
    expect(row).toMatchObject({
      status: 'created',
      subject: 'Password expired abroad',
      priority: 'high',
      customerEmail: 'alex@example.com',
      requesterId: ASKER,
      reason: 'asked',
    });
    expect(textOf(ticketCard.blocks)).toContain(row?.externalUrl as string);
    expect(textOf(ticketCard.blocks)).toContain('Password expired abroad');
  });

  it('makes one ticket of a double click and a resubmitted modal', async () => {
    const card = await ask(t, 'password manager integration');
    const questionId = questionIdOn(card);
    const [first, second] = await Promise.all([clickCreateTicket(t, card), clickCreateTicket(t, card)]);
    const submissions = await Promise.all([
      t.driver.viewSubmission({ userId: ASKER, viewId: first.view.id }),
      t.driver.viewSubmission({
        userId: ASKER,
        viewId: second.view.id,
        values: { subject_input: 'second try' },
      }),
    ]);
    expect(submissions.map((submission) => submission.status)).toEqual([200, 200]);
    await cardAfter(t, card, /filed in HelpScout/);
    const rows = await ticketRows(t, questionId);
    expect(rows).toHaveLength(1);
    expect(t.desk?.callsFor(`question:${questionId}`)).toBe(1);

    // A later click on the same card shows the ticket rather than a new form.
    const opens = t.slack.calls('views.open').length;
    await t.driver.blockAction({
      userId: ASKER,
      message: { channel: card.channel, ts: card.ts },
      action: { action_id: 'answer_create_ticket', value: questionId },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.slack.calls('views.open')).toHaveLength(opens);
  });

  it('keeps the ticket while HelpScout is down, tells the asker, and files it exactly once when it is back', async () => {
    const desk = t.desk as NonNullable<TicketApp['desk']>;
    desk.mode = 'down';
    const card = await ask(t, 'password policy for contractors');
    const questionId = questionIdOn(card);
    const { view } = await clickCreateTicket(t, card);
    await t.driver.viewSubmission({ userId: ASKER, viewId: view.id });
    await cardAfter(t, card, /unreachable right now/);
    expect(await ticketRows(t, questionId)).toMatchObject([{ status: 'pending', attempts: 1 }]);

    desk.mode = 'up';
    desk.latencyMs = 50;
    await t.database.db.execute(sql`update tickets set next_attempt_at = now() where status = 'pending'`);
    const other = await t.otherReplica();
    try {
      await Promise.all([
        t.outbox.runOnce(),
        other.outbox.runOnce(),
        t.outbox.runOnce(),
        other.outbox.runOnce(),
      ]);
    } finally {
      await other.close();
      desk.latencyMs = 0;
    }
    const [row] = await ticketRows(t, questionId);
    expect(row).toMatchObject({ status: 'created', attempts: 2 });
    expect(desk.callsFor(`question:${questionId}`)).toBe(2);
    await cardAfter(t, card, /filed in HelpScout/);
  });

  it('shows the reason when HelpScout refuses the ticket', async () => {
    const desk = t.desk as NonNullable<TicketApp['desk']>;
    desk.mode = 'refusing';
    try {
      const card = await ask(t, 'password for the shared account');
      const { view } = await clickCreateTicket(t, card);
      await t.driver.viewSubmission({ userId: ASKER, viewId: view.id });
      const shown = await cardAfter(t, card, /couldn.t be filed/);
      expect(textOf(shown.blocks)).toContain('HelpScout rejected the customer email');
      expect(await ticketRows(t, questionIdOn(card))).toMatchObject([
        { status: 'failed', lastError: 'HelpScout rejected the customer email' },
      ]);
    } finally {
      desk.mode = 'up';
    }
  });
});

describe('creating a ticket with no ticket desk configured', () => {
  let t: TicketApp;
  beforeAll(async () => {
    t = await startTicketApp({ desk: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('stores the ticket and shows it as local', async () => {
    const card = await ask(t, 'How do I change my password?');
    const { view } = await clickCreateTicket(t, card);
    await t.driver.viewSubmission({ userId: ASKER, viewId: view.id });
    await cardAfter(t, card, /saved locally \(no ticket desk configured\)/);
    expect(await ticketRows(t, questionIdOn(card))).toMatchObject([
      { status: 'local', desk: null, attempts: 0 },
    ]);
  });
});
