import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tickets } from '../../src/db/schema/index.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { FAKE_HELPSCOUT, FakeHelpScout } from '../harness/fake-helpscout.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

const ASKER = 'U0ASKER';
const SLOW_START = fileURLToPath(new URL('../harness/slow-start.mjs', import.meta.url));

/** The kb, and deskhand's HelpScout server needing 5 s to start, with calls limited to 1 s. */
function servicesYaml(helpscoutUrl: string): string {
  const node = JSON.stringify(process.execPath);
  const bin = JSON.stringify(DESKHAND_BIN);
  return `services:
  kb:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, kb]
    env: { KNOWLEDGE_DIR: ${JSON.stringify(resolve('knowledge'))} }
  helpscout:
    transport: stdio
    command: ${node}
    args: [${JSON.stringify(SLOW_START)}, "5000", ${bin}, mcp, helpscout]
    env: { HELPSCOUT_APP_ID: ${FAKE_HELPSCOUT.appId}, HELPSCOUT_APP_SECRET: \${TEST_HELPSCOUT_SECRET}, HELPSCOUT_MAILBOX_ID: "${FAKE_HELPSCOUT.mailboxId}", HELPSCOUT_API_URL: ${helpscoutUrl} }
    timeout_ms: 1000
`;
}

describe('a ticket desk that is slow to start', () => {
  const helpscout = new FakeHelpScout();
  let t: TestDeskhand;
  let startedAt: number;

  beforeAll(async () => {
    await helpscout.start();
    startedAt = Date.now();
    t = await startTestDeskhand({
      servicesYaml: servicesYaml(helpscout.url),
      env: { TEST_HELPSCOUT_SECRET: FAKE_HELPSCOUT.appSecret },
      // Serve at once, so HelpScout really joins after start.
      mcpStartWaitMs: 0,
    });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await helpscout.close();
  });

  it('still files the ticket clicked 6 s after start, with timeout_ms: 1000', async () => {
    // The kb answers (so no automatic ticket is filed); only the desk is late.
    const kbState = () => t.deskhand.registry.status().find((status) => status.service === 'kb')?.state;
    for (let i = 0; i < 200 && kbState() !== 'connected'; i++)
      await new Promise((done) => setTimeout(done, 50));
    await t.driver.slashCommand({ userId: ASKER, text: 'How do I reset my password?' });
    const card = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER && /answer_create_ticket/.test(JSON.stringify(message.blocks ?? [])),
      15_000,
    );
    const questionId = /"value":"([0-9a-f-]{36})"/.exec(JSON.stringify(card.blocks))?.[1] as string;

    await new Promise((done) => setTimeout(done, Math.max(0, startedAt + 6_000 - Date.now())));
    await t.driver.blockAction({
      userId: ASKER,
      message: { channel: card.channel, ts: card.ts },
      action: { action_id: 'answer_create_ticket', value: questionId },
    });
    const modal = await t.slack.waitForCall('views.open', undefined, 10_000);
    const viewId = (modal.response as { view?: { id?: string } }).view?.id as string;
    await t.slack.waitForCall('views.update', undefined, 10_000);
    const submitted = await t.driver.viewSubmission({ userId: ASKER, viewId });
    expect(submitted.outcome).toBe('closed');

    let ticket: typeof tickets.$inferSelect | undefined;
    for (let i = 0; i < 200 && ticket?.status !== 'created'; i++) {
      [ticket] = await t.database.db.select().from(tickets).where(eq(tickets.questionId, questionId));
      if (ticket?.status !== 'created') await new Promise((done) => setTimeout(done, 100));
    }
    expect(ticket).toMatchObject({ status: 'created', desk: 'helpscout' });
    expect(
      helpscout.conversations.some((conversation) => String(conversation.id) === ticket?.externalId),
    ).toBe(true);
    // The desk is known now: a new answer card offers a real ticket, not one "saved locally".
    await t.driver.slashCommand({ userId: ASKER, text: 'How do I set up SSO?' });
    const later = await t.slack.waitForMessage(
      (message) =>
        message.ts !== card.ts &&
        message.ephemeralTo === ASKER &&
        /answer_create_ticket/.test(JSON.stringify(message.blocks ?? [])),
      15_000,
    );
    expect(JSON.stringify(later.blocks)).not.toContain('saved locally');
  }, 60_000);
});
