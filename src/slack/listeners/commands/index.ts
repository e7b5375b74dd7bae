import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';
import { supportCommandCallback } from './support-command.js';

export const COMMANDS = ['/support'] as const;

export function register(app: App, deps: SlackDeps): void {
  app.command('/support', supportCommandCallback(deps));
}
