import type { WebClient } from '@slack/web-api';
import { Counter } from 'prom-client';
import type { AppConfig } from '../config/env.js';
import { DrizzleDeliveryLedger } from '../db/repositories/delivery-ledger.js';
import { DrizzleThreadQuestions } from '../db/repositories/thread-questions.js';
import { buildDigest } from '../digest/index.js';
import { createSlackApp, type SlackApp, type SlackConnection } from '../slack/app.js';
import type { SlackDeps } from '../slack/deps.js';
import type { CardsShown } from '../slack/show-to-asker.js';
import type { ChannelSettingsService } from '../support/channel-settings/index.js';
import type { RequestService, SlaWorker } from '../support/requests/index.js';
import type { TicketService } from '../support/tickets/index.js';
import type { Alerting } from './alerts.js';
import { buildAppHome } from './app-home.js';
import { buildChannelSettings } from './channel-settings.js';
import type { Http } from './http.js';
import type { Knowledge } from './knowledge.js';
import type { Root } from './root.js';
import type { SlackOAuth } from './slack-oauth.js';
import type { Storage } from './storage.js';
import { buildSupportChannels } from './support-channels.js';
import { buildTicketSync, type TicketSync } from './ticket-sync.js';

export interface SlackParts {
  storage: Storage;
  knowledge: Knowledge;
  tickets: TicketService;
  http: Http;
  /** Multi-workspace install; undefined with a single workspace's token or in the playground. */
  oauth: SlackOAuth | undefined;
  alerting: Alerting;
  /** The Bolt app's client once it exists; what is built here before the app asks for it only when it sends. */
  slackClient: () => WebClient | undefined;
}

/** deskhand in Slack: the app and what its listeners use that the rest of deskhand does not build. */
export interface SlackSide {
  /** Mounted on deskhand's HTTP server, not started: a refused token must fail the start. */
  slack: SlackApp;
  channelSettings: ChannelSettingsService;
  requests: RequestService;
  /** The first-response SLA scan, not started. */
  slaWorker: SlaWorker;
  /** Undefined without a ticket desk; its worker not started. */
  ticketSync: TicketSync | undefined;
}

/**
 * Support channels with their settings, the sync of tickets with their threads, and the Bolt app
 * with its listeners' dependencies, mounted on deskhand's HTTP server (its events endpoint, and
 * the install pages with OAuth).
 */
export function buildSlack(root: Root, parts: SlackParts): SlackSide {
  const { config, logger } = root;
  const { http, oauth } = parts;
  const { database } = parts.storage;
  const { registry, support } = parts.knowledge;
  const channelSettings = buildChannelSettings(config, database);
  const ticketSync = buildTicketSync({ database, registry, client: parts.slackClient, logger });
  const { requests, slaWorker } = buildSupportChannels({
    config,
    database,
    logger,
    client: parts.slackClient,
    findAnswer: (questionId) => support.findAnswer(questionId),
    ticketsEnabled: registry.ticketDesk() !== undefined,
    settings: channelSettings,
  });

  const deps: SlackDeps = {
    support,
    requests,
    deliveries: new DrizzleDeliveryLedger(database.db),
    alerts: parts.alerting.alerts,
    tickets: parts.tickets,
    threads: new DrizzleThreadQuestions(database.db),
    digest: (since, teamId) =>
      buildDigest(database, { since, includePrivateText: false, teamId: oauth ? teamId : undefined }),
    channelSettings,
    appHome: buildAppHome({ database, channelSettings, requests }),
    ticketSync: ticketSync?.sync,
    installations: oauth?.installations,
    work: root.work,
    logger,
    cardsShown: countCardsShown(root),
    settings: {
      get ticketsEnabled() {
        return registry.ticketDesk() !== undefined || registry.ticketDeskMayConnect();
      },
      supportAdmins: config.supportAdmins,
      everyoneIsAdminWithoutList: config.slack.kind === 'playground',
      alertChannel: config.alertChannel,
    },
  };
  const slack = createSlackApp({
    connection: slackConnection(config, http, oauth),
    slackApiUrl: http.playground?.emulator.apiUrl ?? config.slackApiUrl,
    deps,
    logger,
    maxBodyBytes: config.maxBodyBytes,
  });
  if (slack.requestListener) http.server.setFallback(slack.requestListener);
  if (oauth) http.server.addRoutes(...oauth.routes(slack.installer));
  return { slack, channelSettings, requests, slaWorker, ticketSync };
}

/** How the app reaches Slack: the playground's emulator, a single workspace's token, or OAuth installs. */
function slackConnection(config: AppConfig, http: Http, oauth: SlackOAuth | undefined): SlackConnection {
  const { playground } = http;
  return config.slack.kind === 'playground'
    ? { kind: 'http', botToken: playground?.botToken ?? '', signingSecret: playground?.signingSecret ?? '' }
    : config.slack.kind === 'http'
      ? { kind: 'http', botToken: config.slack.botToken, signingSecret: config.slack.signingSecret }
      : config.slack.kind === 'socket'
        ? { kind: 'socket', botToken: config.slack.botToken, appToken: config.slack.appToken }
        : (oauth as SlackOAuth).connection;
}

/** `deskhand_slack_cards_shown_total{where}`: an alert on `ephemeral`, `dm` or `lost` means Slack is refusing posts. */
function countCardsShown(root: Root): CardsShown {
  const counter = new Counter({
    name: 'deskhand_slack_cards_shown_total',
    help: 'Answer and ticket cards shown to the asker, by where they landed: in_place (the response_url or the thread), ephemeral or dm (Slack would not take them there), lost (nowhere).',
    labelNames: ['where'],
    registers: [root.metrics],
  });
  return { shown: (where) => counter.inc({ where }) };
}
