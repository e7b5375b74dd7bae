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
    await t.acme.driver.slashCommand({ userId: 'U0ASKER', text: 'zzqx wibble the acme sprocket' });
    await cardOf(t.acme, 'U0ASKER', /wibble[\s\S]*answer_(solved|create_ticket)/);
    await t.main.driver.slashCommand({ userId: 'U0AGENT1', text: 'digest 7d' });
    await t.acme.driver.slashCommand({ userId: 'U0AGENT1', text: 'digest 7d' });
    const mainDigest = await cardOf(t.main, 'U0AGENT1', /Support digest/);
    const acmeDigest = await cardOf(t.acme, 'U0AGENT1', /Support digest/);
    expect(mainDigest.text).toMatch(/Questions: 2\b/);
    expect(acmeDigest.text).toMatch(/Questions: 3\b/);
    expect(JSON.stringify(mainDigest.blocks)).toMatch(/frobnicate/);
    expect(JSON.stringify(mainDigest.blocks)).not.toMatch(/wibble/);
    expect(JSON.stringify(acmeDigest.blocks)).toMatch(/wibble/);
    expect(JSON.stringify(acmeDigest.blocks)).not.toMatch(/frobnicate|reset my password/);

    // A tick covers the period up to its minute: the next minute's covers what was just asked.
    expect(await t.deskhand.digests?.runOnce(new Date(Date.now() + 60_000))).toBe('posted');
    const mainPosted = await t.main.slack.waitForMessage((message) => message.channel === 'C0DIGEST');
    const acmePosted = await t.acme.slack.waitForMessage((message) => message.channel === 'C0DIGEST');
    expect(mainPosted.text).toMatch(/Questions: 2\b/);
    expect(acmePosted.text).toMatch(/Questions: 3\b/);
    expect(JSON.stringify(acmePosted.blocks)).not.toMatch(/frobnicate/);
    expect(JSON.stringify(mainPosted.blocks)).not.toMatch(/wibble/);
    // Knowledge gaps are questions with no good answer: the acme one no article answers.
    expect(JSON.stringify(acmePosted.blocks)).toMatch(/wibble/);
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

describe('refusing a bad install, and limits per workspace', () => {
  let t: OAuthTestDeskhand;
  beforeAll(async () => {
    t = await startOAuthDeskhand({ QUESTIONS_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a redirect whose state is not this browser’s, without spending the code', async () => {
    const flow = await installThroughBrowser(t.deskhand.url, t.acme.teamId, { cookie: () => '' });
    expect(flow.done.status).toBe(400);
    expect(flow.done.html).toMatch(/expired or was opened in another browser/);
    const forged = await installThroughBrowser(t.deskhand.url, t.acme.teamId, {
      redirect: (url) => withParam(url, 'state', 'forged-state'),
      cookie: () => 'slack-app-oauth-state=forged-state',
    });
    expect(forged.done.status).toBe(400);
    expect(t.main.slack.calls('oauth.v2.access')).toEqual([]);
    expect(await installedTeams(t)).toEqual([]);
  });

  it('refuses a code Slack does not accept, a code used twice, and a cancelled install', async () => {
    const bad = await installThroughBrowser(t.deskhand.url, t.acme.teamId, {
      redirect: (url) => withParam(url, 'code', 'not-a-code'),
    });
    expect(bad.done.status).toBe(400);
    expect(bad.done.html).toMatch(/did not accept the authorization code \(invalid_code\)/);

    const good = await installThroughBrowser(t.deskhand.url, t.acme.teamId);
    expect(good.done.status).toBe(200);
    const cookie = `slack-app-oauth-state=${good.redirect.searchParams.get('state')}`;
    const replayed = await fetch(good.redirect, { headers: { cookie } });
    expect(replayed.status).toBe(400);
    expect(await replayed.text()).toMatch(/code_already_used/);

    const cancelled = await installThroughBrowser(t.deskhand.url, t.main.teamId, { deny: true });
    expect(cancelled.done.status).toBe(400);
    expect(cancelled.done.html).toMatch(/cancelled/);
    expect(await installedTeams(t)).toEqual(['T0ACME']);
  });

  it('says which setting is wrong when Slack refuses deskhand’s client secret', async () => {
    const redirectUri = `${t.deskhand.url}/slack/oauth_redirect`;
    t.main.slack.oauth.registerApp({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', redirectUri });
    try {
      const flow = await installThroughBrowser(t.deskhand.url, t.main.teamId);
      expect(flow.done.status).toBe(500);
      expect(flow.done.html).toMatch(/bad_client_secret.*SLACK_CLIENT_SECRET/);
      expect(flow.done.html).not.toContain(CLIENT_SECRET);
    } finally {
      t.main.slack.oauth.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri });
    }
    expect(await installedTeams(t)).toEqual(['T0ACME']);
    expect(JSON.stringify(t.logs)).not.toContain(CLIENT_SECRET);
  });

  it('counts the rate limit per workspace: the same user id elsewhere is another person', async () => {
    await installThroughBrowser(t.deskhand.url, t.main.teamId);
    await installThroughBrowser(t.deskhand.url, t.acme.teamId);
    for (const text of ['How do I reset my password?', 'How do I change my email?']) {
      await t.main.driver.slashCommand({ userId: 'U0ASKER', text });
      await cardOf(t.main, 'U0ASKER', new RegExp(`${text.slice(9, 25)}[\\s\\S]*answer_`));
    }
    await t.main.driver.slashCommand({ userId: 'U0ASKER', text: 'And a third one?' });
    await t.main.slack.waitForMessage(
      (message) => message.ephemeralTo === 'U0ASKER' && /asked a lot of questions/.test(message.text),
      10_000,
    );
    await t.acme.driver.slashCommand({ userId: 'U0ASKER', text: 'How do I export my invoices?' });
    await cardOf(t.acme, 'U0ASKER', /export my invoices[\s\S]*answer_/);
    expect(t.acme.slack.ephemeralFor('U0ASKER').some((m) => /asked a lot of questions/.test(m.text))).toBe(
      false,
    );
  });
});

function withParam(url: URL, name: string, value: string): URL {
  const next = new URL(url);
  next.searchParams.set(name, value);
  return next;
}
