import { DrizzleAlertStore } from '../db/repositories/alert-store.js';
import { SlackAlertNotifier } from '../slack/alert-notifier.js';
import type { SlackClients } from '../slack/clients.js';
import { AlertService, EscalationWorker } from '../support/alerts/index.js';
import type { Knowledge } from './knowledge.js';
import type { Root } from './root.js';
import type { Storage } from './storage.js';

export interface Alerting {
  /** Urgent-case alerts; undefined without ALERT_CHANNEL. */
  alerts: AlertService | undefined;
  escalations: EscalationWorker | undefined;
}

/**
 * Urgent-case alerts in ALERT_CHANNEL and the worker that escalates those no one took; none
 * without it. Alerts are written through the write buffer, which learns here how to replay them.
 */
export function buildAlerts(
  root: Root,
  parts: { storage: Storage; knowledge: Knowledge; slackClients: SlackClients },
): Alerting {
  const { config, logger } = root;
  if (!config.alertChannel) return { alerts: undefined, escalations: undefined };
  const alerts = new AlertService({
    store: new DrizzleAlertStore(parts.storage.database.db, parts.storage.writeBuffer),
    notifier: new SlackAlertNotifier({
      client: (teamId) => parts.slackClients.clientFor(teamId),
      oncallUsergroup: config.oncallUsergroup,
    }),
    questions: parts.knowledge.support,
    logger,
    channelId: config.alertChannel,
    escalateAfterMs: config.alertEscalateAfterMinutes * 60_000,
  });
  return { alerts, escalations: new EscalationWorker({ alerts, logger }) };
}
