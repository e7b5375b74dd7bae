import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookups, tickets } from '../../src/db/schema/index.js';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { FAKE_HELPSCOUT, FakeHelpScout } from '../harness/fake-helpscout.js';
import { FAKE_NOTION_TOKEN, FakeNotion } from '../harness/fake-notion.js';
import { DESKHAND_BIN } from '../harness/mcp-client.js';

const ASKER = 'U0ASKER';

function servicesYaml(notionUrl: string, helpscoutUrl: string): string {
  const node = JSON.stringify(process.execPath);
  const bin = JSON.stringify(DESKHAND_BIN);
  return `services:
  kb:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, kb]
    env: { KNOWLEDGE_DIR: ${JSON.stringify(resolve('knowledge'))} }
  notion:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, notion]
    env: { NOTION_TOKEN: \${TEST_NOTION_TOKEN}, NOTION_API_URL: ${notionUrl} }
  helpscout:
    transport: stdio
    command: ${node}
    args: [${bin}, mcp, helpscout]
    env: { HELPSCOUT_APP_ID: ${FAKE_HELPSCOUT.appId}, HELPSCOUT_APP_SECRET: \${TEST_HELPSCOUT_SECRET}, HELPSCOUT_MAILBOX_ID: "${FAKE_HELPSCOUT.mailboxId}", HELPSCOUT_API_URL: ${helpscoutUrl} }
    timeout_ms: 8000
`;
}

describe('/support with Notion, HelpScout and the knowledge base, all through MCP', () => {
  const notion = new FakeNotion();
  const helpscout = new FakeHelpScout();
  let t: TestDeskhand;
  let services: string;
  const secrets = { TEST_NOTION_TOKEN: FAKE_NOTION_TOKEN, TEST_HELPSCOUT_SECRET: FAKE_HELPSCOUT.appSecret };

  beforeAll(async () => {
    await notion.start();
    await helpscout.start();
    services = servicesYaml(notion.url, helpscout.url);
    t = await startTestDeskhand({ servicesYaml: services, env: secrets });
  }, 60_000);
  afterAll(async () => {
    await t?.stop();
    await notion.close();
    await helpscout.close();
  });

  it('answers from all three sources at once, and names each on the card', async () => {
    await t.driver.slashCommand({ userId: ASKER, text: 'How do I reset my password?' });
    const card = await t.slack.waitForMessage(
      (message) =>
        message.ephemeralTo === ASKER && /answer_solved/.test(JSON.stringify(message.blocks ?? [])),
      15_000,
    );
    const text = JSON.stringify(card.blocks);
    expect(text).toMatch(/Knowledge base/);
    expect(text).toMatch(/Notion/);
    expect(text).toMatch(/HelpScout/);
    // Three sources agreeing on the answer make it found: the card opens with the reply, citing them.
    expect(card.blocks?.[1]).toMatchObject({ block_id: 'answer_reply' });
    const questionId = /"value":"([0-9a-f-]{36})"/.exec(text)?.[1] as string;
    const rows = await t.database.db.select().from(lookups).where(eq(lookups.questionId, questionId));
    expect(rows.map((row) => [row.source, row.status]).sort()).toEqual([
      ['helpscout', 'ok'],
      ['kb', 'ok'],
      ['notion', 'ok'],
    ]);
    expect(rows.every((row) => row.hits > 0)).toBe(true);

    // The ticket desk is HelpScout: a ticket from this card becomes a HelpScout conversation.
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
    const [ticket] = await waitForTicket(t, questionId);
    expect(ticket).toMatchObject({ status: 'created', desk: 'helpscout' });
    expect(
      helpscout.conversations.some((conversation) => String(conversation.id) === ticket?.externalId),
    ).toBe(true);
  });

  it('doctor shows every service healthy, with a sample search each', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-doctor-'));
    chmodSync(dir, 0o755); // as root, the embedded database's postgres user must reach it
    writeFileSync(join(dir, 'mcp_services.yml'), services);
    const { stdout } = await promisify(execFile)(process.execPath, [DESKHAND_BIN, 'doctor'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        MCP_CONFIG: join(dir, 'mcp_services.yml'),
        DESKHAND_DATA_DIR: join(dir, 'data'),
        ...secrets,
      },
    });
    expect(stdout).toMatch(/mcp: kb\s+ok/);
    expect(stdout).toMatch(/mcp: notion\s+ok .*search "password": \d+ hits/);
    expect(stdout).toMatch(/mcp: helpscout\s+ok/);
    expect(stdout).toContain('All checks passed.');
  }, 60_000);

  it('doctor fails, with exit 1, when a service is misconfigured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-doctor-'));
    chmodSync(dir, 0o755); // as root, the embedded database's postgres user must reach it
    writeFileSync(join(dir, 'mcp_services.yml'), services);
    const run = promisify(execFile)(process.execPath, [DESKHAND_BIN, 'doctor'], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        MCP_CONFIG: join(dir, 'mcp_services.yml'),
        DESKHAND_DATA_DIR: join(dir, 'data'),
        ...secrets,
        TEST_NOTION_TOKEN: 'secret_wrong',
      },
    });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toMatch(/mcp: notion\s+FAIL .*Notion rejected the token/);
  }, 60_000);
});

async function waitForTicket(t: TestDeskhand, questionId: string) {
  for (let i = 0; i < 100; i++) {
    const rows = await t.database.db.select().from(tickets).where(eq(tickets.questionId, questionId));
    if (rows[0]?.status === 'created') return rows;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return t.database.db.select().from(tickets).where(sql`${tickets.questionId} = ${questionId}`);
}
