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
    t = await startOAuthDeskhand({ ALERT_CHANNEL: 'C0SUPPORT', DIGEST_CHANNEL: 'C0DIGEST' });
  });
  afterAll(async () => {
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
    const rows = await t.database.rows(sql`select team_id, text from questions order by created_at`);
    expect(rows).toEqual([
      { team_id: 'T0DESKHAND', text: 'How do I reset my password?' },
      { team_id: 'T0ACME', text: 'How do I export my invoices?' },
    ]);
    // Each fake workspace answered only the calls made with its own token.
    expect(t.acme.slack.calls('conversations.info').length).toBeGreaterThan(0);
    expect(t.main.slack.calls('conversations.info').length).toBeGreaterThan(0);
    const acmeCard = await cardOf(t.acme, 'U0ASKER', /answer_solved/);
    expect(JSON.stringify(acmeCard.blocks)).not.toMatch(/reset my password/);
  });
});

function grantedTokens(t: OAuthTestDeskhand): string[] {
  return t.main.slack
    .calls('oauth.v2.access')
    .map((call) => call.response.access_token)
    .filter((token): token is string => typeof token === 'string');
}

void CLIENT_SECRET;
