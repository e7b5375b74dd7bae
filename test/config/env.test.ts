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

  it('reads DESKHAND_MCP_TOKEN, refuses a short or spaced one without echoing it, and counts it a secret', () => {
    const token = 'mcp-token-0123456789abcdef';
    const config = loadEnv({ DESKHAND_MCP_TOKEN: token });
    expect(config.mcpToken).toBe(token);
    expect(config.secrets).toContain(token);
    expect(loadEnv({}).mcpToken).toBeUndefined();
    const short = configError({ DESKHAND_MCP_TOKEN: 'short-secret' });
    expect(short).toMatch(/^DESKHAND_MCP_TOKEN must be at least 16 characters/);
    expect(short).not.toContain('short-secret');
    const spaced = configError({ DESKHAND_MCP_TOKEN: 'has a space in the secret' });
    expect(spaced).toMatch(/^DESKHAND_MCP_TOKEN must be printable ASCII/);
    expect(spaced).not.toContain('space in the secret');
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

  describe('multi-workspace install (OAuth)', () => {
    const oauth = {
      SLACK_CLIENT_ID: '111.222',
      SLACK_CLIENT_SECRET: 'client-secret-value',
      SLACK_STATE_SECRET: 'state-secret-value',
      SLACK_SIGNING_SECRET: 'signing-secret',
      DESKHAND_ENCRYPTION_KEY: 'ab'.repeat(32),
    };

    it('turns on with the three OAuth values, the signing secret and the key; no bot token needed', () => {
      const config = loadEnv(oauth);
      expect(config.slack).toMatchObject({
        kind: 'oauth',
        clientId: '111.222',
        signingSecret: 'signing-secret',
      });
      expect(config.slack.kind === 'oauth' && config.slack.encryptionKey).toEqual(Buffer.alloc(32, 0xab));
      expect(config.secrets).toEqual(
        expect.arrayContaining(['client-secret-value', 'state-secret-value', 'ab'.repeat(32)]),
      );
    });

    it('names DESKHAND_ENCRYPTION_KEY when it is missing or not 64 hex characters, never echoing it', () => {
      const { DESKHAND_ENCRYPTION_KEY: _key, ...withoutKey } = oauth;
      expect(configError(withoutKey)).toMatch(/^DESKHAND_ENCRYPTION_KEY is not set/);
      const short = configError({ ...oauth, DESKHAND_ENCRYPTION_KEY: 'abcdef0123' });
      expect(short).toMatch(/^DESKHAND_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters/);
      expect(short).not.toContain('abcdef0123');
      expect(configError({ ...oauth, DESKHAND_ENCRYPTION_KEY: `${'zz'.repeat(32)}` })).toMatch(
        /^DESKHAND_ENCRYPTION_KEY must be 32 bytes/,
      );
    });

    it('names the OAuth value that is missing, and refuses a bot token or app token beside it', () => {
      const { SLACK_STATE_SECRET: _state, ...withoutState } = oauth;
      expect(configError(withoutState)).toMatch(/^SLACK_STATE_SECRET is not set/);
      const { SLACK_SIGNING_SECRET: _signing, ...withoutSigning } = oauth;
      expect(configError(withoutSigning)).toMatch(/^SLACK_SIGNING_SECRET is not set/);
      expect(configError({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(
        /^SLACK_BOT_TOKEN must not be set/,
      );
      expect(configError({ ...oauth, SLACK_APP_TOKEN: 'xapp-1' })).toMatch(
        /^SLACK_APP_TOKEN must not be set/,
      );
    });
  });

  it('reads the optional reply model, with its deadline and private-channel switch', () => {
    expect(loadEnv({}).llm).toBeUndefined();
    const config = loadEnv({
      LLM_BASE_URL: 'http://localhost:11434/v1',
      LLM_MODEL: 'llama3.1',
      LLM_API_KEY: 'sk-secret-1',
    });
    expect(config.llm).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.1',
      apiKey: 'sk-secret-1',
      deadlineMs: 6000,
      privateOk: false,
    });
    expect(config.secrets).toContain('sk-secret-1');
    expect(
      loadEnv({
        LLM_BASE_URL: 'https://api.openai.com/v1',
        LLM_MODEL: 'gpt-4o-mini',
        LLM_DEADLINE_MS: '2500',
        LLM_PRIVATE_OK: 'true',
      }).llm,
    ).toMatchObject({ deadlineMs: 2500, privateOk: true });
  });

  it('reads the optional embeddings model, at the reply model’s base URL and with its key and private switch', () => {
    expect(loadEnv({}).embeddings).toBeUndefined();
    expect(loadEnv({ LLM_BASE_URL: 'http://x.example/v1', LLM_MODEL: 'm' }).embeddings).toBeUndefined();
    const both = loadEnv({
      LLM_BASE_URL: 'https://api.openai.com/v1',
      LLM_MODEL: 'gpt-4o-mini',
      LLM_API_KEY: 'sk-secret-2',
      LLM_PRIVATE_OK: 'true',
      EMBEDDINGS_MODEL: 'text-embedding-3-small',
    });
    expect(both.embeddings).toEqual({
      baseUrl: 'https://api.openai.com/v1',
      model: 'text-embedding-3-small',
      apiKey: 'sk-secret-2',
      privateOk: true,
    });
    expect(both.llm?.model).toBe('gpt-4o-mini');
  });

  it('takes LLM_BASE_URL with EMBEDDINGS_MODEL alone: reranking with embeddings, extractive replies', () => {
    const config = loadEnv({
      LLM_BASE_URL: 'http://localhost:11434/v1',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
    });
    expect(config.llm).toBeUndefined();
    expect(config.embeddings).toEqual({
      baseUrl: 'http://localhost:11434/v1',
      model: 'nomic-embed-text',
      apiKey: undefined,
      privateOk: false,
    });
  });

  it('names the embeddings variable at fault', () => {
    expect(configError({ EMBEDDINGS_MODEL: 'text-embedding-3-small' })).toMatch(
      /^EMBEDDINGS_MODEL needs LLM_BASE_URL: the embeddings are asked of \{LLM_BASE_URL\}\/embeddings/,
    );
    expect(configError({ EMBEDDINGS_MODEL: 'e', LLM_MODEL: 'm' })).toMatch(/^LLM_BASE_URL is not set/);
    expect(configError({ LLM_BASE_URL: 'http://x.example/v1' })).toMatch(
      /^LLM_MODEL is not set: .* or set EMBEDDINGS_MODEL to use LLM_BASE_URL for reranking only$/,
    );
    expect(configError({ LLM_BASE_URL: 'not a url', EMBEDDINGS_MODEL: 'e' })).toMatch(
      /^LLM_BASE_URL must be a URL/,
    );
  });

  it('names the reply model variable at fault', () => {
    expect(configError({ LLM_BASE_URL: 'not a url', LLM_MODEL: 'm' })).toMatch(/^LLM_BASE_URL must be a URL/);
    expect(configError({ LLM_BASE_URL: 'http://localhost:8080/v1' })).toMatch(/^LLM_MODEL is not set/);
    expect(configError({ LLM_MODEL: 'm' })).toMatch(/^LLM_BASE_URL is not set/);
    expect(
      configError({ LLM_BASE_URL: 'http://x.example/v1', LLM_MODEL: 'm', LLM_PRIVATE_OK: 'yes' }),
    ).toMatch(/^LLM_PRIVATE_OK must be true or false/);
    expect(
      configError({ LLM_BASE_URL: 'http://x.example/v1', LLM_MODEL: 'm', LLM_DEADLINE_MS: 'soon' }),
    ).toMatch(/^LLM_DEADLINE_MS must be a whole number/);
  });
});
