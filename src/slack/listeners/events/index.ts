import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { appHomeOpenedCallback } from './app-home-opened.js';
import { appMentionCallback } from './app-mention.js';
import { appUninstalledCallback } from './app-uninstalled.js';
import { directMessageCallback } from './direct-message.js';
import { reactionAddedCallback } from './reaction-added.js';
import { reactionRemovedCallback } from './reaction-removed.js';
import { supportChannelMessageCallback } from './support-channel-message.js';
import { ticketThreadReplyCallback } from './ticket-thread-reply.js';
import { tokensRevokedCallback } from './tokens-revoked.js';

/**
 * Bot events deskhand subscribes to, as manifest.yml names them: `message.im`, `message.channels`
 * and `message.groups` are all `message` events (in a DM, a public channel, a private channel).
 */
export const EVENTS = [
  'app_mention',
  'message.im',
  'message.channels',
  'message.groups',
  'reaction_added',
  'reaction_removed',
  'app_uninstalled',
  'tokens_revoked',
  'app_home_opened',
] as const;

export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', appMentionCallback(deps));
  app.event('app_home_opened', appHomeOpenedCallback(deps));
  app.event('message', directMessageCallback(deps));
  app.event('message', supportChannelMessageCallback(deps));
  app.event('reaction_added', reactionAddedCallback(deps));
  app.event('reaction_removed', reactionRemovedCallback(deps));
  app.event('message', ticketThreadReplyCallback(deps));
  app.event('app_uninstalled', appUninstalledCallback(deps));
  app.event('tokens_revoked', tokensRevokedCallback(deps));
}
