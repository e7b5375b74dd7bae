import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { ConfigError } from '../../src/config/errors.js';

function configError(env: Record<string, string>): string {
  try {
    loadEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('reading the environment', () => {
  it('runs on defaults with nothing set: playground, embedded Postgres, built-in knowledge base', () => {
    const config = loadEnv({});
    expect(config.slack).toEqual({ kind: 'playground' });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.knowledgeDir).toBe('./knowledge');
    expect(config.slackApiUrl).toBe('https://slack.com/api/');
    expect(config.digest).toEqual({ channel: undefined, cron: '0 9 * * 1-5', timezone: 'UTC' });
    expect(config.supportAdmins).toEqual([]);
    expect(config.logLevel).toBe('info');
    expect(config.dataDir).toBe('./.deskhand');
    expect(config.embeddedDbPort).toBeUndefined();
  });

  it('chooses HTTP mode with a bot token and signing secret, Socket Mode with an app token', () => {
    expect(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'abc' }).slack.kind).toBe('http');
    expect(loadEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' }).slack.kind).toBe('socket');
  });

  it('names the missing variable when only half of the Slack settings are set', () => {
    expect(configError({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/^SLACK_SIGNING_SECRET is not set/);
    expect(configError({ SLACK_SIGNING_SECRET: 'abc' })).toMatch(/^SLACK_BOT_TOKEN is not set/);
    expect(configError({ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_SIGNING_SECRET: 'abc' })).toMatch(
      /^SLACK_BOT_TOKEN must be a bot token/,
    );
  });

  it('refuses a bad value with one line naming the variable and the value', () => {
    expect(configError({ PORT: 'abc' })).toBe('PORT must be a port number (got "abc")');
    expect(configError({ PORT: '70000' })).toBe('PORT must be between 0 and 65535 (got "70000")');
    expect(configError({ DATABASE_URL: 'mysql://x' })).toMatch(/^DATABASE_URL must start with postgres:\/\//);
    expect(configError({ DESKHAND_DB_PORT: '0' })).toBe(
      'DESKHAND_DB_PORT must be between 1 and 65535 (got "0")',
    );
    expect(loadEnv({ DESKHAND_DB_PORT: '55432' }).embeddedDbPort).toBe(55432);
    expect(configError({ LOG_LEVEL: 'loud' })).toMatch(/^LOG_LEVEL /);
    expect(configError({ DIGEST_TZ: 'Mars/Olympus' })).toMatch(/^DIGEST_TZ must be an IANA time zone/);
    expect(configError({ SLACK_API_URL: 'not a url' })).toMatch(/^SLACK_API_URL must be a URL/);
    expect(configError({ DIGEST_CRON: 'every monday' })).toMatch(
      /^DIGEST_CRON is not a valid cron expression/,
    );
  });

  it('never echoes a secret in an error', () => {
    const message = configError({
      SLACK_BOT_TOKEN: 'xoxb-very-secret-token',
      SLACK_APP_TOKEN: 'nope-secret',
    });
    expect(message).not.toContain('very-secret');
    expect(message).not.toContain('nope-secret');
  });

  it('reads admins, and collects every secret for log scrubbing', () => {
    const config = loadEnv({
      SUPPORT_ADMINS: 'U1, U2 ,,',
      SLACK_BOT_TOKEN: 'xoxb-secret-1',
      SLACK_SIGNING_SECRET: 'signing-secret',
      DATABASE_URL: 'postgres://u:db-password@h/d',
    });
    expect(config.supportAdmins).toEqual(['U1', 'U2']);
    expect(config.secrets).toEqual(
      expect.arrayContaining(['xoxb-secret-1', 'signing-secret', 'db-password']),
    );
  });

  it('adds the trailing slash Slack API URLs need', () => {
    expect(loadEnv({ SLACK_API_URL: 'http://localhost:9000/api' }).slackApiUrl).toBe(
      'http://localhost:9000/api/',
    );
  });
});
