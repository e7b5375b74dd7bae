import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { appMentionCallback } from './app-mention.js';
import { appUninstalledCallback } from './app-uninstalled.js';
import { directMessageCallback } from './direct-message.js';
import { tokensRevokedCallback } from './tokens-revoked.js';

/** Bot events deskhand subscribes to, as manifest.yml names them (`message.im` is a `message` event in a DM). */
export const EVENTS = ['app_mention', 'message.im', 'app_uninstalled', 'tokens_revoked'] as const;

export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', appMentionCallback(deps));
  app.event('message', directMessageCallback(deps));
  app.event('app_uninstalled', appUninstalledCallback(deps));
  app.event('tokens_revoked', tokensRevokedCallback(deps));
}
