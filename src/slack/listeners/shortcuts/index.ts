import type { App, MessageShortcut } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { askSupportCallback } from './ask-support.js';

/** Callback ids of the shortcuts deskhand handles; manifest.yml declares the same. */
export const SHORTCUTS = ['ask_support'] as const;

export function register(app: App, deps: SlackDeps): void {
  app.shortcut<MessageShortcut>('ask_support', askSupportCallback(deps));
}
