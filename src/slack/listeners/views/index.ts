import type { App, ViewSubmitAction } from '@slack/bolt';
import { TICKET_MODAL_IDS } from '../../blocks/index.js';
import type { SlackDeps } from '../../deps.js';
import { ticketModalSubmitCallback } from './ticket-modal.js';

export const VIEWS: readonly string[] = [TICKET_MODAL_IDS.callbackId];

export function register(app: App, deps: SlackDeps): void {
  app.view<ViewSubmitAction>(TICKET_MODAL_IDS.callbackId, ticketModalSubmitCallback(deps));
}
