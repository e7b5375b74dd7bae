import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { appMentionCallback } from './app-mention.js';
import { directMessageCallback } from './direct-message.js';
import { ticketThreadReplyCallback } from './ticket-thread-reply.js';

/** Bot events deskhand subscribes to, as manifest.yml names them (`message.im` is a `message` event in a DM). */
export const EVENTS = ['app_mention', 'message.im'] as const;

export function register(app: App, deps: SlackDeps): void {
  app.event('app_mention', appMentionCallback(deps));
  app.event('message', directMessageCallback(deps));
  app.event('message', ticketThreadReplyCallback(deps));
}
