import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** manifest.yml beside package.json: the one place deskhand's Slack scopes are written. */
export const MANIFEST_PATH = fileURLToPath(new URL('../../manifest.yml', import.meta.url));

/** The bot scopes manifest.yml asks for, which the OAuth install requests. */
export function manifestBotScopes(path = MANIFEST_PATH): string[] {
  const manifest = parse(readFileSync(path, 'utf8')) as { oauth_config?: { scopes?: { bot?: unknown } } };
  const scopes = manifest.oauth_config?.scopes?.bot;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => typeof scope === 'string')) {
    throw new Error(`${path} has no oauth_config.scopes.bot list`);
  }
  return scopes;
}
