import { createRequire } from 'node:module';
import { z } from 'zod';
import { ConfigError } from './errors.js';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .optional()
    .transform((value) => value ?? fallback);

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The environment variables deskhand reads (DESIGN.md §3), with their defaults. */
export const envSchema = z.object({
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  SLACK_STATE_SECRET: optionalString,
  DESKHAND_ENCRYPTION_KEY: optionalString,
  SLACK_API_URL: optionalString.pipe(z.url('must be a URL such as https://slack.com/api/').optional()),
  PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port >= 0 && port <= 65535, 'must be between 0 and 65535')
    .optional()
    .transform((value) => value ?? 3000),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
  ),
  DESKHAND_DATA_DIR: optionalString,
  DESKHAND_DB_PORT: z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a port number')
    .transform(Number)
    .refine((port) => port >= 1 && port <= 65535, 'must be between 1 and 65535')
    .optional(),
  MCP_CONFIG: optionalString,
  KNOWLEDGE_DIR: optionalString,
  NOTION_TOKEN: optionalString,
  NOTION_API_URL: optionalString.pipe(z.url('must be a URL').optional()),
  HELPSCOUT_APP_ID: optionalString,
  HELPSCOUT_APP_SECRET: optionalString,
  HELPSCOUT_MAILBOX_ID: optionalString,
  HELPSCOUT_API_URL: optionalString.pipe(z.url('must be a URL').optional()),
  HELPSCOUT_WEBHOOK_SECRET: optionalString,
  ALERT_CHANNEL: optionalString,
  ONCALL_USERGROUP: optionalString,
  ALERT_ESCALATE_AFTER_MINUTES: positiveInt(15),
  DIGEST_CHANNEL: optionalString,
  DIGEST_CRON: optionalString,
  DIGEST_TZ: optionalString,
  SUPPORT_ADMINS: optionalString,
  SUPPORT_CHANNELS: optionalString.pipe(
    z
      .string()
      .regex(
        /^\s*[CG][A-Z0-9]{2,}\s*(,\s*[CG][A-Z0-9]{2,}\s*)*,?\s*$/,
        'must be comma-separated Slack channel ids such as C0123456789,C0987654321',
      )
      .optional(),
  ),
  FIRST_RESPONSE_SLA_MINUTES: positiveInt(30).refine(
    (minutes) => minutes >= 1 && minutes <= 7 * 24 * 60,
    'must be between 1 and 10080 minutes',
  ),
  TRIAGE_RULES: optionalString,
  LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()),
  LOOKUP_DEADLINE_MS: positiveInt(4000),
  MAX_BODY_BYTES: positiveInt(1024 * 1024),
  QUESTION_MAX_CHARS: positiveInt(2000),
  QUESTIONS_PER_MINUTE: positiveInt(10),
  MAX_CONCURRENT_ANSWERS: positiveInt(64),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
  HTTP_KEEP_ALIVE_MS: positiveInt(65_000),
  DESKHAND_MCP_TOKEN: optionalString,
  LLM_BASE_URL: optionalString.pipe(z.url('must be a URL such as https://api.openai.com/v1').optional()),
  LLM_MODEL: optionalString,
  LLM_API_KEY: optionalString,
  LLM_DEADLINE_MS: positiveInt(6000),
  LLM_PRIVATE_OK: optionalString.pipe(
    z.enum(['true', 'false', '1', '0'], 'must be true or false').optional(),
  ),
  EMBEDDINGS_MODEL: optionalString,
});

export type RawEnv = z.infer<typeof envSchema>;

export type SlackMode =
  | { kind: 'http'; botToken: string; signingSecret: string }
  | { kind: 'socket'; botToken: string; appToken: string; signingSecret?: string }
  | {
      /** Multi-workspace install: each workspace's token comes from its installation (OAuth v2). */
      kind: 'oauth';
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      signingSecret: string;
      /** DESKHAND_ENCRYPTION_KEY: the 32-byte AES-256-GCM key stored tokens are encrypted with. */
      encryptionKey: Buffer;
    }
  | { kind: 'playground' };

/** The validated settings deskhand runs with; the only place `process.env` is turned into values. */
export interface AppConfig {
  slack: SlackMode;
  slackApiUrl: string;
  port: number;
  databaseUrl?: string;
  dataDir: string;
  /** Port of the embedded database on 127.0.0.1 (DESKHAND_DB_PORT); unset: a free one. */
  embeddedDbPort?: number;
  mcpConfigPath?: string;
  knowledgeDir: string;
  notion: { token?: string; apiUrl: string };
  helpscout: {
    appId?: string;
    appSecret?: string;
    mailboxId?: string;
    apiUrl: string;
    webhookSecret?: string;
  };
  alertChannel?: string;
  oncallUsergroup?: string;
  alertEscalateAfterMinutes: number;
  digest: { channel?: string; cron: string; timezone: string };
  supportAdmins: string[];
  /** SUPPORT_CHANNELS: channels where every new message is a request. */
  supportChannels: string[];
  /** FIRST_RESPONSE_SLA_MINUTES: a support channel's first-response SLA unless its settings say otherwise. */
  firstResponseSlaMinutes: number;
  triageRulesPath?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  lookupDeadlineMs: number;
  maxBodyBytes: number;
  questionMaxChars: number;
  questionsPerMinute: number;
  /** MAX_CONCURRENT_ANSWERS: questions answered at once; the others wait their turn in order. */
  maxConcurrentAnswers: number;
  shutdownGraceMs: number;
  /**
   * HTTP_KEEP_ALIVE_MS: how long an idle connection to deskhand's port stays open. Longer than a
   * load balancer's own idle timeout (60 s on AWS ALB and nginx), or the balancer may send Slack's
   * request down a connection deskhand is closing, and Slack sees a 502.
   */
  httpKeepAliveMs: number;
  /** DESKHAND_MCP_TOKEN: the bearer for deskhand's own MCP endpoint `POST /mcp`; unset, there is no endpoint. */
  mcpToken?: string;
  /** The optional OpenAI-compatible model that writes the reply; unset: extractive replies only. */
  llm?: { baseUrl: string; model: string; apiKey?: string; deadlineMs: number; privateOk: boolean };
  /**
   * EMBEDDINGS_MODEL: the optional OpenAI-compatible embeddings that rerank the hits, at LLM_BASE_URL
   * with LLM_API_KEY; private text goes to it only with LLM_PRIVATE_OK. Unset: lexical ranking only.
   */
  embeddings?: { baseUrl: string; model: string; apiKey?: string; privateOk: boolean };
  /** Values that must never be printed: every token and secret read above. */
  secrets: string[];
}

function describeIssue(issue: z.core.$ZodIssue, env: Record<string, string | undefined>): string {
  const variable = String(issue.path[0] ?? 'environment');
  const value = env[variable];
  const shown =
    value === undefined
      ? ''
      : ` (got ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)})`;
  return `${variable} ${issue.message}${shown}`;
}

/** Reads and validates the environment; throws one ConfigError naming the variable at fault. */
export function loadEnv(env: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ConfigError(first ? describeIssue(first, env) : 'invalid environment');
  }
  const e = parsed.data;
  const slack = slackMode(e);
  const digestTimezone = e.DIGEST_TZ ?? 'UTC';
  // Checked only when set: the check loads ICU's time zone data, and UTC is always valid.
  if (e.DIGEST_TZ !== undefined && !isValidTimezone(digestTimezone)) {
    throw new ConfigError(
      `DIGEST_TZ must be an IANA time zone such as Europe/Paris (got ${JSON.stringify(digestTimezone)})`,
    );
  }
  const digestCron = e.DIGEST_CRON ?? DEFAULT_DIGEST_CRON;
  if (digestCron !== DEFAULT_DIGEST_CRON && !isValidCron(digestCron)) {
    throw new ConfigError(
      `DIGEST_CRON is not a valid cron expression (got ${JSON.stringify(digestCron)}); for weekdays at 09:00 write "0 9 * * 1-5"`,
    );
  }
  const secrets = [
    e.SLACK_BOT_TOKEN,
    e.SLACK_SIGNING_SECRET,
    e.SLACK_APP_TOKEN,
    e.NOTION_TOKEN,
    e.HELPSCOUT_APP_SECRET,
    e.HELPSCOUT_WEBHOOK_SECRET,
    e.LLM_API_KEY,
    e.SLACK_CLIENT_SECRET,
    e.SLACK_STATE_SECRET,
    e.DESKHAND_ENCRYPTION_KEY,
    passwordOf(e.DATABASE_URL),
    e.DESKHAND_MCP_TOKEN,
  ].filter((value): value is string => typeof value === 'string' && value.length >= 4);

  return {
    slack,
    slackApiUrl: withTrailingSlash(e.SLACK_API_URL ?? 'https://slack.com/api/'),
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DESKHAND_DATA_DIR ?? './.deskhand',
    embeddedDbPort: e.DESKHAND_DB_PORT,
    mcpConfigPath: e.MCP_CONFIG,
    knowledgeDir: e.KNOWLEDGE_DIR ?? './knowledge',
    notion: { token: e.NOTION_TOKEN, apiUrl: e.NOTION_API_URL ?? 'https://api.notion.com' },
    helpscout: {
      appId: e.HELPSCOUT_APP_ID,
      appSecret: e.HELPSCOUT_APP_SECRET,
      mailboxId: e.HELPSCOUT_MAILBOX_ID,
      apiUrl: e.HELPSCOUT_API_URL ?? 'https://api.helpscout.net',
      webhookSecret: e.HELPSCOUT_WEBHOOK_SECRET,
    },
    alertChannel: e.ALERT_CHANNEL,
    oncallUsergroup: e.ONCALL_USERGROUP,
    alertEscalateAfterMinutes: e.ALERT_ESCALATE_AFTER_MINUTES,
    digest: { channel: e.DIGEST_CHANNEL, cron: digestCron, timezone: digestTimezone },
    supportAdmins: (e.SUPPORT_ADMINS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    supportChannels: [
      ...new Set(
        (e.SUPPORT_CHANNELS ?? '')
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ],
    firstResponseSlaMinutes: e.FIRST_RESPONSE_SLA_MINUTES,
    triageRulesPath: e.TRIAGE_RULES,
    logLevel: e.LOG_LEVEL ?? 'info',
    lookupDeadlineMs: e.LOOKUP_DEADLINE_MS,
    maxBodyBytes: e.MAX_BODY_BYTES,
    questionMaxChars: e.QUESTION_MAX_CHARS,
    questionsPerMinute: e.QUESTIONS_PER_MINUTE,
    maxConcurrentAnswers: e.MAX_CONCURRENT_ANSWERS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    httpKeepAliveMs: e.HTTP_KEEP_ALIVE_MS,
    mcpToken: mcpToken(e.DESKHAND_MCP_TOKEN),
    ...llmConfig(e),
    ...embeddingsConfig(e),
    secrets,
  };
}

function llmConfig(e: RawEnv): Pick<AppConfig, 'llm'> {
  if (!e.LLM_BASE_URL) {
    if (e.LLM_MODEL) throw new ConfigError('LLM_BASE_URL is not set: it is needed with LLM_MODEL');
    return {};
  }
  if (!e.LLM_MODEL) {
    // LLM_BASE_URL for the embeddings alone is fine: replies stay extractive.
    if (e.EMBEDDINGS_MODEL) return {};
    throw new ConfigError(
      'LLM_MODEL is not set: name the model to use at LLM_BASE_URL (for example gpt-4o-mini or llama3.1), or set EMBEDDINGS_MODEL to use LLM_BASE_URL for reranking only',
    );
  }
  if (e.LLM_DEADLINE_MS < 100)
    throw new ConfigError(`LLM_DEADLINE_MS must be at least 100 (got "${e.LLM_DEADLINE_MS}")`);
  return {
    llm: {
      baseUrl: e.LLM_BASE_URL,
      model: e.LLM_MODEL,
      apiKey: e.LLM_API_KEY,
      deadlineMs: e.LLM_DEADLINE_MS,
      privateOk: privateOk(e),
    },
  };
}

function embeddingsConfig(e: RawEnv): Pick<AppConfig, 'embeddings'> {
  if (!e.EMBEDDINGS_MODEL) return {};
  if (!e.LLM_BASE_URL) {
    throw new ConfigError(
      'EMBEDDINGS_MODEL needs LLM_BASE_URL: the embeddings are asked of {LLM_BASE_URL}/embeddings (for example https://api.openai.com/v1 with text-embedding-3-small)',
    );
  }
  return {
    embeddings: {
      baseUrl: e.LLM_BASE_URL,
      model: e.EMBEDDINGS_MODEL,
      apiKey: e.LLM_API_KEY,
      privateOk: privateOk(e),
    },
  };
}

function privateOk(e: RawEnv): boolean {
  return e.LLM_PRIVATE_OK === 'true' || e.LLM_PRIVATE_OK === '1';
}

function slackMode(e: RawEnv): SlackMode {
  if (e.SLACK_CLIENT_ID || e.SLACK_CLIENT_SECRET || e.SLACK_STATE_SECRET) return oauthMode(e);
  const { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_APP_TOKEN: appToken } = e;
  if (botToken && !botToken.startsWith('xoxb-')) {
    throw new ConfigError('SLACK_BOT_TOKEN must be a bot token starting with xoxb-');
  }
  if (appToken && !appToken.startsWith('xapp-')) {
    throw new ConfigError('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  }
  if (botToken && appToken) return { kind: 'socket', botToken, appToken, signingSecret };
  if (botToken && signingSecret) return { kind: 'http', botToken, signingSecret };
  if (botToken) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is not set: HTTP mode needs it with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (signingSecret || appToken) {
    throw new ConfigError(
      `SLACK_BOT_TOKEN is not set: it is needed with ${signingSecret ? 'SLACK_SIGNING_SECRET' : 'SLACK_APP_TOKEN'}`,
    );
  }
  return { kind: 'playground' };
}

/** Checked here rather than in the schema, so that a bad token is never echoed in the error. */
function mcpToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.length < 16)
    throw new ConfigError(
      `DESKHAND_MCP_TOKEN must be at least 16 characters (got ${token.length}); generate one with \`openssl rand -hex 32\``,
    );
  if (!/^[\x21-\x7e]+$/.test(token))
    throw new ConfigError(
      'DESKHAND_MCP_TOKEN must be printable ASCII without spaces: AI clients send it in an HTTP header',
    );
  return token;
}

const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

/** OAuth v2 install into many workspaces: the three OAuth values, the signing secret and the key, no bot token. */
function oauthMode(e: RawEnv): SlackMode {
  const missing = OAUTH_VARIABLES.find((name) => !e[name]);
  if (missing) {
    throw new ConfigError(
      `${missing} is not set: installing into several workspaces needs ${OAUTH_VARIABLES.join(', ')} together`,
    );
  }
  if (e.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN must not be set with SLACK_CLIENT_ID: each workspace gets its own token when it installs deskhand',
    );
  }
  if (e.SLACK_APP_TOKEN) {
    throw new ConfigError(
      'SLACK_APP_TOKEN must not be set with SLACK_CLIENT_ID: multi-workspace install runs in HTTP mode (/slack/events)',
    );
  }
  if (!e.SLACK_SIGNING_SECRET) {
    throw new ConfigError(
      'SLACK_SIGNING_SECRET is not set: it is needed with SLACK_CLIENT_ID to verify requests',
    );
  }
  return {
    kind: 'oauth',
    clientId: e.SLACK_CLIENT_ID as string,
    clientSecret: e.SLACK_CLIENT_SECRET as string,
    stateSecret: e.SLACK_STATE_SECRET as string,
    signingSecret: e.SLACK_SIGNING_SECRET,
    encryptionKey: encryptionKeyOf(e.DESKHAND_ENCRYPTION_KEY),
  };
}

/** DESKHAND_ENCRYPTION_KEY as 32 bytes; the message never repeats the value. */
function encryptionKeyOf(value: string | undefined): Buffer {
  if (!value) {
    throw new ConfigError(
      'DESKHAND_ENCRYPTION_KEY is not set: it encrypts the stored Slack tokens; make one with `openssl rand -hex 32`',
    );
  }
  if (!/^[0-9a-fA-F]{64}$/.test(value)) {
    throw new ConfigError(
      `DESKHAND_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters (got ${value.length} characters); make one with \`openssl rand -hex 32\``,
    );
  }
  return Buffer.from(value, 'hex');
}

function isValidTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

const DEFAULT_DIGEST_CRON = '0 9 * * 1-5';

/**
 * node-cron's own check, loaded only when DIGEST_CRON is set: every command reads the environment,
 * and `deskhand mcp kb` must start without loading the scheduler's library.
 */
function isValidCron(expression: string): boolean {
  const cron = createRequire(import.meta.url)('node-cron') as { validate(expression: string): boolean };
  return cron.validate(expression);
}
