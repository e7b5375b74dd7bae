import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestBotScopes } from '../../src/slack/manifest-scopes.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  installThroughBrowser,
  type OAuthTestDeskhand,
  startOAuthDeskhand,
  type TestWorkspace,
} from '../harness/oauth-deskhand.js';

const cardOf = (workspace: TestWorkspace, userId: string, pattern: RegExp) =>
  workspace.slack.waitForMessage(
    (message) => message.ephemeralTo === userId && pattern.test(JSON.stringify(message.blocks ?? [])),
    10_000,
  );

describe('installing deskhand into two workspaces (OAuth v2)', () => {
  let t: OAuthTestDeskhand;
  beforeAll(async () => {
    t = await startOAuthDeskhand({
      ALERT_CHANNEL: 'C0SUPPORT',
      DIGEST_CHANNEL: 'C0DIGEST',
      SUPPORT_ADMINS: 'U0AGENT1',
      ALERT_ESCALATE_AFTER_MINUTES: '0',
    });
  });
  afterAll(async () => {
    if (process.env.DEBUG_OAUTH)
      for (const l of t.logs)
        if (Number(l.level) >= 40 || /alert|refused|revoked|uninstalled/.test(String(l.msg)))
          console.log('LOG', JSON.stringify(l).slice(0, 600));
    await t?.stop();
  });

  it('installs through /slack/install, Slack’s authorize page and /slack/oauth_redirect, asking the manifest’s scopes', async () => {
    const flow = await installThroughBrowser(t.deskhand.url, t.main.teamId);
    expect(flow.installPage.status).toBe(200);
    expect(flow.installPage.html).toMatch(/Add to Slack/);
    expect(flow.installPage.setCookie).toMatch(/slack-app-oauth-state=/);
    expect(flow.authorizeUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(flow.authorizeUrl.searchParams.get('scope')?.split(',')).toEqual(manifestBotScopes());
    expect(flow.done.status).toBe(200);
    expect(flow.done.html).toMatch(/deskhand is installed in deskhand/);

    const acme = await installThroughBrowser(t.deskhand.url, t.acme.teamId);
    expect(acme.done.status).toBe(200);
    // The workspace's name is Slack's data: shown as text, never as markup.
    expect(acme.done.html).toContain('Acme &#38; Co');
    const rows = await t.database.rows(sql`select team_id, team_name from slack_installations order by id`);
    expect(rows).toEqual([
      { team_id: 'T0DESKHAND', team_name: 'deskhand' },
      { team_id: 'T0ACME', team_name: 'Acme & Co' },
    ]);
  });

  it('stores ids in the clear and no token in plain text', async () => {
    const tokens = [t.main.slack.botToken, ...grantedTokens(t)];
    const rows = await t.database.rows(sql`select * from slack_installations`);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.bot_token_encrypted).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+$/);
      for (const token of tokens) expect(JSON.stringify(row)).not.toContain(token);
    }
    expect(tokens.length).toBe(3);
  });

  it('answers each workspace with its own token, and files each question under its own team', async () => {
    await t.main.driver.slashCommand({ userId: 'U0ASKER', text: 'How do I reset my password?' });
    await t.acme.driver.slashCommand({ userId: 'U0ASKER', text: 'How do I export my invoices?' });
    await cardOf(t.main, 'U0ASKER', /answer_solved/);
    await cardOf(t.acme, 'U0ASKER', /answer_solved/);
    const rows = await t.database.rows(sql`select team_id, text from questions order by team_id`);
    expect(rows).toEqual([
      { team_id: 'T0ACME', text: 'How do I export my invoices?' },
      { team_id: 'T0DESKHAND', text: 'How do I reset my password?' },
    ]);
    // Each fake workspace answered only the calls made with its own token.
    expect(t.acme.slack.calls('conversations.info').length).toBeGreaterThan(0);
    expect(t.main.slack.calls('conversations.info').length).toBeGreaterThan(0);
    const acmeCard = await cardOf(t.acme, 'U0ASKER', /answer_solved/);
    expect(JSON.stringify(acmeCard.blocks)).not.toMatch(/reset my password/);
  });

  it('never opens one workspace’s question from a button clicked in another', async () => {
    const [mainQuestion] = await t.database.rows(sql`select id from questions where team_id = 'T0DESKHAND'`);
    const acmeCard = await cardOf(t.acme, 'U0ASKER', /answer_solved/);
    await t.acme.driver.blockAction({
      userId: 'U0ASKER',
      message: { channel: acmeCard.channel, ts: acmeCard.ts },
      action: { action_id: 'answer_solved', value: String(mainQuestion?.id) },
    });
    await cardOf(t.acme, 'U0ASKER', /no longer available/);
    expect(await t.database.rows(sql`select * from feedback`)).toEqual([]);
  });

  it('alerts an urgent question in its own workspace’s support channel, and escalates it there', async () => {
    const before = t.main.slack.messagesIn('C0SUPPORT').length;
    await t.acme.driver.slashCommand({
      userId: 'U0ASKER',
      text: '--urgent the whole site is down for everyone',
    });
    const alert = await t.acme.slack.waitForMessage(
      (message) => message.channel === 'C0SUPPORT' && /alert_take/.test(JSON.stringify(message.blocks ?? [])),
      10_000,
    );
    expect(JSON.stringify(alert.blocks)).toMatch(/site is down/);
    // The card's ts is stored just after it is posted; an escalation replies in its thread.
    await waitFor(
      async () => (await t.database.rows(sql`select message_ts from alerts`))[0]?.message_ts === alert.ts,
    );
    expect(await t.deskhand.alerts?.escalateDue()).toBe(1);
    await t.acme.slack.waitForMessage(
      (message) => message.channel === 'C0SUPPORT' && message.thread_ts === alert.ts,
      10_000,
    );
    expect(t.main.slack.messagesIn('C0SUPPORT')).toHaveLength(before);
  });

  it('shows each workspace a digest of its own questions only, on demand and on schedule', async () => {
    await t.main.driver.slashCommand({ userId: 'U0ASKER', text: 'zzqx frobnicate the quux flange' });
    await cardOf(t.main, 'U0ASKER', /frobnicate[\s\S]*answer_(solved|create_ticket)/);
    await t.main.driver.slashCommand({ userId: 'U0AGENT1', text: 'digest 7d' });
    await t.acme.driver.slashCommand({ userId: 'U0AGENT1', text: 'digest 7d' });
    const mainDigest = await cardOf(t.main, 'U0AGENT1', /Support digest/);
    const acmeDigest = await cardOf(t.acme, 'U0AGENT1', /Support digest/);
    expect(mainDigest.text).toMatch(/Questions: 2\b/);
    expect(acmeDigest.text).toMatch(/Questions: 2\b/);
    expect(JSON.stringify(mainDigest.blocks)).toMatch(/frobnicate/);
    expect(JSON.stringify(acmeDigest.blocks)).not.toMatch(/frobnicate|reset my password/);

    // A tick covers the period up to its minute: the next minute's covers what was just asked.
    expect(await t.deskhand.digests?.runOnce(new Date(Date.now() + 60_000))).toBe('posted');
    const mainPosted = await t.main.slack.waitForMessage((message) => message.channel === 'C0DIGEST');
    const acmePosted = await t.acme.slack.waitForMessage((message) => message.channel === 'C0DIGEST');
    expect(mainPosted.text).toMatch(/Questions: 2\b/);
    expect(acmePosted.text).toMatch(/Questions: 2\b/);
    expect(JSON.stringify(acmePosted.blocks)).not.toMatch(/frobnicate/);
    expect(JSON.stringify(acmePosted.blocks)).toMatch(/site is down|export my invoices/);
  });

  it('removes a workspace whose bot token was revoked, and then refuses its requests with nothing stored', async () => {
    t.acme.slack.revokeTokens(t.main.slack);
    const revoked = await t.acme.driver.event({
      type: 'tokens_revoked',
      tokens: { oauth: [], bot: ['U0DESKBOT'] },
    });
    expect(revoked.status).toBe(200);
    await waitFor(async () => (await installedTeams(t)).join() === 'T0DESKHAND');

    const counts = await storedCounts(t);
    const refused = await t.acme.driver.slashCommand({
      userId: 'U0ASKER',
      text: 'How do I export my invoices?',
    });
    expect(refused.status).toBe(200);
    await t.acme.slack.waitForMessage(
      (message) => message.ephemeralTo === 'U0ASKER' && /not installed in this workspace/.test(message.text),
      10_000,
    );
    expect(await storedCounts(t)).toEqual(counts);
    expect(t.logs.some((line) => /refused a request from a workspace/.test(String(line.msg)))).toBe(true);
  });

  it('takes a reinstalled workspace back with a new token', async () => {
    const flow = await installThroughBrowser(t.deskhand.url, t.acme.teamId);
    expect(flow.done.status).toBe(200);
    expect(await installedTeams(t)).toEqual(['T0DESKHAND', 'T0ACME']);
    await t.acme.driver.slashCommand({ userId: 'U0ASKER', text: 'How do I rotate my API key?' });
    await cardOf(t.acme, 'U0ASKER', /rotate my API key[\s\S]*answer_(solved|create_ticket)/);
  });

  it('removes a workspace that uninstalled deskhand; its mentions are then refused and not stored', async () => {
    await t.main.driver.event({ type: 'app_uninstalled' });
    await waitFor(async () => (await installedTeams(t)).join() === 'T0ACME');
    const counts = await storedCounts(t);
    const delivery = await t.main.driver.appMention({ userId: 'U0ASKER', text: 'are you still there?' });
    expect(delivery.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await storedCounts(t)).toEqual(counts);
  });
});

async function installedTeams(t: OAuthTestDeskhand): Promise<string[]> {
  const rows = await t.database.rows(sql`select team_id from slack_installations order by id`);
  return rows.map((row) => String(row.team_id));
}

async function storedCounts(t: OAuthTestDeskhand): Promise<Record<string, unknown>> {
  const [row] = await t.database.rows(sql`select
    (select count(*)::int from questions) as questions,
    (select count(*)::int from slack_events) as deliveries,
    (select count(*)::int from tickets) as tickets,
    (select count(*)::int from feedback) as feedback`);
  return row ?? {};
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function grantedTokens(t: OAuthTestDeskhand): string[] {
  return t.main.slack
    .calls('oauth.v2.access')
    .map((call) => call.response.access_token)
    .filter((token): token is string => typeof token === 'string');
}

void CLIENT_SECRET;
