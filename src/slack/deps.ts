import type { Logger } from 'pino';
import type { WorkTracker } from '../runtime/work-tracker.js';
import type { DeliveryLedger } from '../support/ports.js';
import type { SupportService } from '../support/support-service.js';

/** What Slack listeners need from the rest of deskhand; built once by the composition root. */
export interface SlackDeps {
  support: SupportService;
  deliveries: DeliveryLedger;
  work: WorkTracker;
  logger: Logger;
  settings: {
    /** Whether a ticket desk is configured; without one, tickets are stored locally. */
    ticketsEnabled: boolean;
    /** Slack user ids allowed admin commands; empty means everyone. */
    supportAdmins: readonly string[];
    alertChannel?: string;
  };
}

/** Whether a user may run admin commands (`/support digest`). */
export function isAdmin(deps: SlackDeps, userId: string): boolean {
  return deps.settings.supportAdmins.length === 0 || deps.settings.supportAdmins.includes(userId);
}
