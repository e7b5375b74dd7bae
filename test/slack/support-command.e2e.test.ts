import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedback, lookups, questions } from '../../src/db/schema/index.js';
import type { EmulatedMessage } from '../../src/playground/emulator/index.js';
import { FlakySource } from '../faults/flaky-source.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { staleTimestamp, tamperedSignature } from '../harness/slack-driver.js';

const ASKER = 'U0ASKER';

function cardText(message: EmulatedMessage | undefined): string {
  return JSON.stringify(message?.blocks ?? []) + (message?.text ?? '');
}

describe('/support in a workspace', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand();
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** Asks, and waits for the answer card that replaces the "looking it up" note. */
  async function ask(text: string) {
    const seen = new Set(t.slack.workspace.allMessages().map((message) => message.ts));
    const delivery = await t.driver.slashCommand({ userId: ASKER, text });
    const card = await t.slack.waitForMessage(
      (message) =>
        !seen.has(message.ts) &&
        message.ephemeralTo === ASKER &&
        /answer_create_ticket/.test(cardText(message)),
      10_000,
    );
    return { delivery, card };
  }

  it('acknowledges at once, then answers privately with a card citing the knowledge base', async () => {
    const { delivery, card } = await ask('How do I reset my password?');
    expect(delivery.status).toBe(200);
    expect(delivery.body).toContain('Looking up');
    expect(card.ephemeralTo).toBe(ASKER);
    const text = cardText(card);
    expect(text).toContain('Reset your password');
    expect(text).toContain('https://help.acme.example/articles/reset-password');
    // The card opens with the reply: the article's steps, each citing it.
    expect(card.blocks?.[1]).toMatchObject({ block_id: 'answer_reply' });
    expect(text).toMatch(
      /1\. Go to https:\/\/app\.acme\.example\/login and click Forgot password\? .*\|\[1\]>/,
    );
    for (const actionId of ['answer_solved', 'answer_not_helpful', 'answer_create_ticket'])
      expect(text).toContain(actionId);

    const [row] = await t.database.db.select().from(questions).where(eq(questions.askerId, ASKER)).limit(1);
    expect(row).toMatchObject({ status: 'answered', found: true, entryPoint: 'slash' });
    const rows = await t.database.db.select().from(lookups).where(eq(lookups.questionId, row!.id));
    expect(rows.map((lookup) => [lookup.source, lookup.status])).toEqual([['kb', 'ok']]);
  });

  it('stores a click on Solved and replaces the card with a thank-you that keeps the sources', async () => {
    const { card } = await ask('password reset link expired');
    const questionId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.blocks))?.[1];
    expect(questionId).toBeDefined();
    const click = await t.driver.blockAction({
      userId: ASKER,
      message: { channel: card.channel, ts: card.ts },
      action: { action_id: 'answer_solved', value: questionId },
    });
    expect(click.status).toBe(200);
    const thanks = await t.slack.waitForMessage(
      (message) => message.ts === card.ts && /Glad/.test(cardText(message)),
      10_000,
    );
    expect(cardText(thanks)).toContain('Reset your password');
    // The thank-you keeps the reply as it was given, read back from reply_audits.
    expect(JSON.stringify(thanks.blocks)).toContain('answer_reply');
    const stored = await t.database.db.select().from(feedback).where(eq(feedback.questionId, questionId!));
    expect(stored).toMatchObject([{ userId: ASKER, kind: 'solved' }]);
  });

  it('escapes what the asker typed, so no one can ping the channel', async () => {
    const { card } = await ask('<!channel> password reset <@U0AGENT1> & <https://evil.example|click>');
    const text = cardText(card);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U0AGENT1>');
    expect(text).not.toContain('<https://evil.example|click>');
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('says plainly when nothing answers, and offers a ticket', async () => {
    const { card } = await ask('zebra migration patterns in antarctica');
    const text = cardText(card);
    expect(text).toMatch(/I don't know/);
    expect(text).toContain('answer_create_ticket');
  });

  it('answers in a private channel the bot was not added to, asking Slack about it once', async () => {
    // Slack hides such a channel from the bot's token (channel_not_found) while /support works there.
    t.slack.workspace.addChannel({
      id: 'G0HIDDEN',
      name: 'ops-private',
      kind: 'private',
      created: Math.floor(Date.now() / 1000),
      botIsMember: false,
    });
    const infoCalls = () =>
      t.slack.calls('conversations.info').filter((call) => call.args.channel === 'G0HIDDEN');
    const texts = ['How do I reset my password?', 'password reset link expired', 'Can I change my email?'];
    const deliveries = await Promise.all(
      texts.map((text) => t.driver.slashCommand({ userId: ASKER, channelId: 'G0HIDDEN', text })),
    );
    expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200, 200]);
    const cards = () =>
      t.slack.workspace
        .allMessages()
        .filter(
          (message) =>
            message.channel === 'G0HIDDEN' &&
            message.ephemeralTo === ASKER &&
            /answer_create_ticket/.test(cardText(message)),
        );
    await t.slack.waitForMessage(() => cards().length === texts.length, 10_000);
    // One more a moment later: still no second call.
    await t.driver.slashCommand({ userId: ASKER, channelId: 'G0HIDDEN', text: 'two-factor codes' });
    await t.slack.waitForMessage(() => cards().length === texts.length + 1, 10_000);
    expect(infoCalls()).toHaveLength(1);
    expect(infoCalls()[0]?.response).toMatchObject({ ok: false, error: 'channel_not_found' });
    // What Slack would not say counts as private: none of it can reach a channel digest.
    const stored = await t.database.db
      .select({ channelKind: questions.channelKind })
      .from(questions)
      .where(eq(questions.channelId, 'G0HIDDEN'));
    expect(stored.map((row) => row.channelKind)).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('shows usage for /support help and for /support alone', async () => {
    for (const text of ['help', '']) {
      const delivery = await t.driver.slashCommand({ userId: ASKER, text });
      expect(delivery.status).toBe(200);
      expect(delivery.body).toContain('/support');
    }
  });

  it('refuses a bad signature or a stale timestamp with 401 and stores nothing', async () => {
    const before = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from questions`);
    const signed = await t.driver.slashCommand(
      { userId: ASKER, text: 'forged question' },
      { signature: tamperedSignature('v0=0000000000000000000000000000000000000000000000000000000000000000') },
    );
    expect(signed.status).toBe(401);
    const stale = await t.driver.slashCommand(
      { userId: ASKER, text: 'replayed question' },
      { timestamp: staleTimestamp() },
    );
    expect(stale.status).toBe(401);
    const wrongSecret = await t.driver.slashCommand(
      { userId: ASKER, text: 'wrong secret' },
      { signingSecret: 'not-the-secret' },
    );
    expect(wrongSecret.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = await t.database.rows<{ n: number }>(sql`select count(*)::int as n from questions`);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('answers a retried delivery of the same command once', async () => {
    const { delivery: first } = await ask('export my data as csv');
    const retry = await t.driver.resend(first.request, { retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = await t.database.rows<{ n: number }>(
      sql`select count(*)::int as n from questions where text = 'export my data as csv'`,
    );
    expect(rows[0]?.n).toBe(1);
  });
});

describe('/support with a slow source', () => {
  let t: TestDeskhand;
  const slow = new FlakySource();
  beforeAll(async () => {
    await slow.start();
    slow.mode = { kind: 'delay', ms: 1_500 };
    t = await startTestDeskhand({
      env: { LOOKUP_DEADLINE_MS: '4000' },
      servicesYaml: [
        'services:',
        '  slow:',
        '    transport: http',
        `    url: ${slow.url}`,
        '    timeout_ms: 3000',
        '    label: Slow wiki',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await t?.stop();
    await slow.kill();
  });

  it('acknowledges before the lookup finishes: the ack never waits for a source', async () => {
    const delivery = await t.driver.slashCommand({ userId: ASKER, text: 'webhook retries' });
    expect(delivery.status).toBe(200);
    const answered = () =>
      t.slack.workspace
        .allMessages()
        .some((message) => /Flaky docs: webhook retries/.test(cardText(message)));
    expect(answered()).toBe(false);
    await t.slack.waitForMessage((message) => /Flaky docs: webhook retries/.test(cardText(message)), 10_000);
  });
});
