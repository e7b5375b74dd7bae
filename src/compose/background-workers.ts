import { hostname } from 'node:os';
import { type DigestScheduler, startDigestScheduler, startRollupRefresher } from '../digest/index.js';
import { digestCard } from '../slack/blocks/index.js';
import { type TicketNotifier, TicketOutboxWorker, type TicketService } from '../support/tickets/index.js';
import type { Alerting } from './alerts.js';
import type { Root } from './root.js';
import type { SlackSide } from './slack.js';
import type { SlackOAuth } from './slack-oauth.js';
import type { Storage } from './storage.js';

export interface BackgroundWorkersParts {
  storage: Storage;
  alerting: Alerting;
  slackSide: SlackSide;
  tickets: TicketService;
  /** Told about every ticket the outbox files, so the asker's card follows it. */
  ticketCards: TicketNotifier;
  /** Posts the digest in every installed workspace when set; otherwise through the Slack app's client. */
  oauth: SlackOAuth | undefined;
}

export interface BackgroundWorkers {
  ticketOutbox: TicketOutboxWorker;
  /** The scheduled digest, when DIGEST_CHANNEL is set. */
  digests?: DigestScheduler;
  /** Stops the digests, escalations, SLA scan, ticket outbox and thread sync, in that order. */
  stop(): Promise<void>;
}

/** Starts the work no request asks for: escalations, the SLA scan, the ticket outbox, thread sync, the digest. */
export function startBackgroundWorkers(root: Root, parts: BackgroundWorkersParts): BackgroundWorkers {
  const { config, logger } = root;
  const { escalations } = parts.alerting;
  const { slack, slaWorker, ticketSync } = parts.slackSide;
  const { oauth } = parts;
  escalations?.start();
  slaWorker.start();
  const ticketOutbox = new TicketOutboxWorker({
    tickets: parts.tickets,
    notifier: parts.ticketCards,
    logger,
  });
  ticketOutbox.start();
  ticketSync?.worker.start();
  const rollups = startRollupRefresher({ database: parts.storage.database, logger });
  const digestChannel = config.digest.channel;
  const digests = digestChannel
    ? startDigestScheduler({
        database: parts.storage.database,
        cron: config.digest.cron,
        timezone: config.digest.timezone,
        replicaId: `${hostname()}:${process.pid}`,
        logger,
        post: async (digest) => {
          if (oauth) await oauth.postDigests(digest, digestChannel);
          else await slack.app.client.chat.postMessage({ channel: digestChannel, ...digestCard(digest) });
        },
      })
    : undefined;
  return {
    ticketOutbox,
    digests,
    async stop() {
      rollups.stop();
      digests?.stop();
      await escalations?.stop();
      await slaWorker.stop();
      await ticketOutbox.stop();
      await ticketSync?.worker.stop();
    },
  };
}
