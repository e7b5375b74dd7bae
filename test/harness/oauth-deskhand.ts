import { loadEnv } from '../../src/config/env.js';
import { type RunningDeskhand, startDeskhand } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SlackOutbound } from '../../src/playground/emulator/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { slackDriver } from './slack-driver.js';

export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'test-client-secret-0123456789';
export const STATE_SECRET = 'test-state-secret-0123456789';
export const ENCRYPTION_KEY = '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0';
export const STATE_COOKIE = 'slack-app-oauth-state';

/** One workspace of the fake Slack, as a test drives it. */
export interface TestWorkspace {
  slack: FakeSlack;
  teamId: string;
  /** Signed requests from this workspace to deskhand's /slack/events. */
  driver: SlackOutbound;
}

export interface OAuthTestDeskhand {
  deskhand: RunningDeskhand;
  /** The first workspace (T0DESKHAND) and a second one (T0ACME) on the same fake Slack. */
  main: TestWorkspace;
  acme: TestWorkspace;
  database: TestDatabase;
  /** Log lines deskhand wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** deskhand in multi-workspace mode on a fresh database, with a fake Slack serving two workspaces. */
export async function startOAuthDeskhand(env: Record<string, string> = {}): Promise<OAuthTestDeskhand> {
  const slack = await startFakeSlack();
  const acmeSlack = slack.addTeam({ teamId: 'T0ACME', teamDomain: 'acme', teamName: 'Acme & Co' });
  const database = await createTestDatabase();
  const fullEnv: Record<string, string> = {
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: STATE_SECRET,
    SLACK_SIGNING_SECRET: slack.signingSecret,
    DESKHAND_ENCRYPTION_KEY: ENCRYPTION_KEY,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    LOG_LEVEL: 'info',
    QUESTIONS_PER_MINUTE: '1000',
    ...env,
  };
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'info',
    pretty: false,
    secrets: [CLIENT_SECRET, STATE_SECRET, ENCRYPTION_KEY, slack.signingSecret],
    destination: {
      write(line: string) {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  const deskhand = await startDeskhand(loadEnv(fullEnv), {
    database,
    env: fullEnv,
    host: '127.0.0.1',
    logger,
  });
  slack.oauth.registerApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${deskhand.url}/slack/oauth_redirect`,
  });
  const events = `${deskhand.url}/slack/events`;
  return {
    deskhand,
    main: { slack, teamId: slack.workspace.teamId, driver: slackDriver(slack, events) },
    acme: { slack: acmeSlack, teamId: 'T0ACME', driver: slackDriver(acmeSlack, events) },
    database,
    logs,
    async stop() {
      await deskhand.stop();
      await slack.close();
      await database.drop();
    },
  };
}

/** What the browser went through to install deskhand: each step's response. */
export interface InstallFlow {
  installPage: { status: number; html: string; setCookie: string };
  authorizeUrl: URL;
  /** The fake Slack's redirect back to deskhand (code and state in the query). */
  redirect: URL;
  done: { status: number; html: string; setCookie: string };
}

/**
 * Installs deskhand into a workspace as a person does: opens /slack/install (state cookie set),
 * follows "Add to Slack" to Slack's authorize page, approves, and is sent to /slack/oauth_redirect.
 */
export async function installThroughBrowser(
  deskhandUrl: string,
  teamId: string,
  options: { cookie?: (state: string) => string; redirect?: (url: URL) => URL; deny?: boolean } = {},
): Promise<InstallFlow> {
  const page = await fetch(`${deskhandUrl}/slack/install`);
  const html = await page.text();
  const setCookie = page.headers.get('set-cookie') ?? '';
  const href = /<a href="([^"]+)"/.exec(html)?.[1];
  if (!href) throw new Error(`no Add to Slack link on the install page: ${html}`);
  const authorizeUrl = new URL(href.replaceAll('&amp;', '&'));
  const approve = new URL(authorizeUrl);
  approve.searchParams.set('team', teamId);
  if (options.deny) approve.searchParams.set('deny', '1');
  const authorized = await fetch(approve, { redirect: 'manual' });
  const location = authorized.headers.get('location');
  if (authorized.status !== 302 || !location)
    throw new Error(`authorize answered ${authorized.status}: ${await authorized.text()}`);
  const redirect = options.redirect ? options.redirect(new URL(location)) : new URL(location);
  const state = new RegExp(`${STATE_COOKIE}=([^;]+)`).exec(setCookie)?.[1] ?? '';
  const cookie = options.cookie ? options.cookie(state) : `${STATE_COOKIE}=${state}`;
  const back = await fetch(redirect, { headers: { cookie }, redirect: 'manual' });
  return {
    installPage: { status: page.status, html, setCookie },
    authorizeUrl,
    redirect,
    done: { status: back.status, html: await back.text(), setCookie: back.headers.get('set-cookie') ?? '' },
  };
}
