import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

export const SHORTCUTS: readonly string[] = [];

export function register(_app: App, _deps: SlackDeps): void {}
