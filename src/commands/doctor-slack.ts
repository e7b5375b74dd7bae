import { WebClient } from '@slack/web-api';
import type { AppConfig } from '../config/env.js';
import { channelsOf, checkChannels } from '../slack/channel-check.js';

export interface SlackCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Slack's error code of a failed Web API call, or its message. */
function reason(error: unknown): string {
  const code = (error as { data?: { error?: unknown } }).data?.error;
  return typeof code === 'string' ? code : (error as Error).message;
}

function client(token: string, config: AppConfig): WebClient {
  return new WebClient(token, {
    slackApiUrl: config.slackApiUrl,
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
    timeout: 10_000,
  });
}

/**
 * The bot token checked with `auth.test`; in Socket Mode also the app token, with
 * `apps.connections.open` (the call the bot starts with). The WebSocket URL it returns is not
 * opened: a connection would share the bot's envelopes, and one it never acks Slack redelivers.
 */
export async function checkSlack(config: AppConfig): Promise<SlackCheck[]> {
  const { slack } = config;
  if (slack.kind === 'playground') return [];
  if (slack.kind === 'oauth')
    return [
      {
        name: 'slack: OAuth install',
        ok: true,
        detail: 'multi-workspace: each workspace gets its token when it installs deskhand at /slack/install',
      },
    ];
  const checks: SlackCheck[] = [];
  try {
    const auth = await client(slack.botToken, config).auth.test();
    checks.push({
      name: 'slack: bot token',
      ok: true,
      detail: `auth.test: team ${auth.team ?? auth.team_id}, bot user ${auth.user_id}`,
    });
  } catch (error) {
    checks.push({
      name: 'slack: bot token',
      ok: false,
      detail: `SLACK_BOT_TOKEN refused by auth.test: ${reason(error)}`,
    });
  }
  checks.push(...(await checkChannels(client(slack.botToken, config), channelsOf(config))));
  if (slack.kind !== 'socket') return checks;
  try {
    const opened = await client(slack.appToken, config).apps.connections.open();
    const host = opened.url ? new URL(opened.url).host : 'no URL';
    checks.push({
      name: 'slack: socket mode',
      ok: Boolean(opened.url),
      detail: opened.url
        ? `apps.connections.open with the app token: WebSocket URL issued (${host})`
        : 'apps.connections.open returned no URL',
    });
  } catch (error) {
    const code = reason(error);
    const hint =
      code === 'not_allowed_token_type'
        ? ' (SLACK_APP_TOKEN must be an app-level xapp- token with connections:write)'
        : code === 'invalid_auth'
          ? ' (create an app-level token with connections:write under Basic Information)'
          : '';
    checks.push({
      name: 'slack: socket mode',
      ok: false,
      detail: `SLACK_APP_TOKEN refused by apps.connections.open: ${code}${hint}`,
    });
  }
  return checks;
}
