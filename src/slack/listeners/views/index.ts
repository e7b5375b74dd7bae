import type { App, ViewSubmitAction } from '@slack/bolt';
import { CHANNEL_SETTINGS_MODAL_IDS, TICKET_MODAL_IDS } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { channelSettingsSubmitCallback } from './channel-settings-modal.js';
import { ticketModalSubmitCallback } from './ticket-modal.js';

export const VIEWS: readonly string[] = [TICKET_MODAL_IDS.callbackId, CHANNEL_SETTINGS_MODAL_IDS.callbackId];

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(TICKET_MODAL_IDS.callbackId, ticketModalSubmitCallback(deps));
  app.view<ViewSubmitAction>(CHANNEL_SETTINGS_MODAL_IDS.callbackId, channelSettingsSubmitCallback(deps));
}
