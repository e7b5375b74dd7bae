import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names whose values are secrets wherever they appear in a log object. */
const REDACTED_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  'auth_token',
  '*.auth_token',
  'client_secret',
  '*.client_secret',
  'access_token',
  '*.access_token',
];

export interface LoggerOptions {
  level?: string;
  /** Known secret values (tokens from the environment); scrubbed from every line, even inside messages. */
  secrets?: readonly string[];
  /** Human-readable output; defaults to whether stdout is a terminal. */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: pino.DestinationStream;
}

/** The process logger: JSON lines by default, pretty on a terminal, secrets never written. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((secret) => secret.length >= 4);
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const base: pino.LoggerOptions = {
    level: options.level ?? 'info',
    base: { app: 'deskhand' },
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    hooks: secrets.length
      ? {
          // Redaction by path misses a token quoted inside an error message; this catches it on the way out.
          streamWrite: (line: string) => scrubSecrets(line, secrets),
        }
      : {},
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: {
        target: 'pino-pretty',
        options: { colorize: true, translateTime: 'HH:MM:ss', ignore: 'pid,hostname,app' },
      },
    });
  }
  return pino(base);
}

/** Replaces every occurrence of each secret with [REDACTED]. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join('[REDACTED]');
  }
  return result;
}
