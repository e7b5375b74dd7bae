import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildAlerts } from './compose/alerts.js';
import { startBackgroundWorkers } from './compose/background-workers.js';
import { buildHttp } from './compose/http.js';
import { buildKnowledge } from './compose/knowledge.js';
import { createRoot } from './compose/root.js';
import { resolveServices } from './compose/services.js';
import { buildSlack } from './compose/slack.js';
import { buildSlackOAuthIfConfigured } from './compose/slack-oauth.js';
import { logStartup, withPlaygroundDefaults } from './compose/startup.js';
import { buildStorage } from './compose/storage.js';
import { checkSupportChannelsAtStart } from './compose/support-channels.js';
import { buildTicketCards, buildTickets } from './compose/tickets.js';
import type { AppConfig } from './config/env.js';
import type { Database } from './db/client.js';
import type { DigestScheduler } from './digest/index.js';
import type { McpRegistry } from './mcp/index.js';
import { createLogger } from './observability/logger.js';
import type { WorkTracker } from './runtime/work-tracker.js';
import type { SlackApp } from './slack/app.js';
import { singleWorkspaceClients } from './slack/clients.js';
import type { AlertService, EscalationWorker } from './support/alerts/index.js';
import type { ChannelSettingsService } from './support/channel-settings/index.js';
import type { RequestService, SlaWorker } from './support/requests/index.js';
import type { SupportService } from './support/support-service.js';
import type { ThreadSyncWorker } from './support/ticket-sync/index.js';
import type { TicketOutboxWorker, TicketService } from './support/tickets/index.js';
import { loadTriager } from './support/triage.js';

export interface StartOptions {
  /** An already opened database (tests), left open at stop; otherwise opened from the config. */
  database?: Database;
  /**
   * The configured database, which the caller began opening while this module loaded (the
   * embedded server starts as slowly as the code loads); closed at stop like one opened here.
   */
  openingDatabase?: Promise<Database>;
  logger?: Logger;
  /** Environment for `${VAR}` in the MCP services file; process.env by default. */
  env?: Record<string, string | undefined>;
  /** Where to listen; 127.0.0.1 in tests, all interfaces by default. */
  host?: string;
  /** How long start waits for MCP services to connect before serving without the slow ones. */
  mcpStartWaitMs?: number;
}

/** A started deskhand, as tests, the CLI and benchmarks hold it. */
export interface RunningDeskhand {
  url: string;
  port: number;
  config: AppConfig;
  logger: Logger;
  database: Database;
  metrics: Registry;
  registry: McpRegistry;
  support: SupportService;
  slack?: SlackApp;
  /** Urgent-case alerts; undefined without ALERT_CHANNEL. */
  alerts?: AlertService;
  escalations?: EscalationWorker;
  /** Support-channel requests (SUPPORT_CHANNELS) and the first-response SLA scan; tests drive it with `runOnce()`. */
  requests: RequestService;
  slaWorker: SlaWorker;
  tickets: TicketService;
  /** Per-channel settings of support channels. */
  channelSettings: ChannelSettingsService;
  /** Thread replies and agents' replies crossing between Slack and the ticket desk; undefined without a desk. */
  threadSync?: ThreadSyncWorker;
  /** Files pending tickets in the background; tests drive it with `runOnce()`. */
  ticketOutbox: TicketOutboxWorker;
  /** The scheduled digest, when DIGEST_CHANNEL is set (always in the playground). */
  digests?: DigestScheduler;
  work: WorkTracker;
  /** Stops taking work, finishes what is in flight (up to the grace period), closes everything. */
  stop(): Promise<void>;
}

export { resolveServices };

/** The composition root: config → database → MCP → support → Slack → HTTP, torn down in reverse. */
export async function startDeskhand(
  configFromEnv: AppConfig,
  options: StartOptions = {},
): Promise<RunningDeskhand> {
  const config = withPlaygroundDefaults(configFromEnv);
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: config.secrets });
  const services = resolveServices(config, options.env ?? process.env);
  const triager = loadTriager(config.triageRulesPath);
  const root = createRoot(config, logger);
  await checkSupportChannelsAtStart(config, logger);

  const storage = await buildStorage(root, options.database, options.openingDatabase);
  const knowledge = await buildKnowledge(root, { storage, services, triager }, options.mcpStartWaitMs);
  const tickets = buildTickets(root, { storage, knowledge });
  // Multi-workspace install: each workspace's token comes from its installation in the database.
  const oauth = buildSlackOAuthIfConfigured(root, storage);
  const http = await buildHttp(root, { storage, knowledge, tickets, host: options.host });

  // The Slack app is built last; what is built before it asks for its client when it sends.
  let slack: SlackApp | undefined;
  const slackClient = () => slack?.app.client;
  const slackClients = oauth?.clients ?? singleWorkspaceClients(slackClient);
  const alerting = buildAlerts(root, { storage, knowledge, slackClients });
  // Every kind of buffered write has its applier now: take over what a stopped deskhand spooled.
  await storage.writeBuffer.replay();
  const slackSide = buildSlack(root, { storage, knowledge, tickets, http, oauth, alerting, slackClient });
  slack = slackSide.slack;
  try {
    await slack.start();
  } catch (error) {
    // A refused Socket Mode token ends the start: release what is open so the process can exit.
    await http.server.close();
    await knowledge.close();
    await storage.close();
    throw error;
  }
  const { ticketSync } = slackSide;
  const ticketCards = buildTicketCards(root, { http, knowledge, tickets, slackClients, ticketSync });
  const workers = startBackgroundWorkers(root, { storage, alerting, slackSide, tickets, ticketCards, oauth });
  logStartup(logger, config, http.url, services);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      root.readiness.shuttingDown = true;
      logger.info('shutting down: finishing answers in flight');
      if (!(await root.work.drain(config.shutdownGraceMs)))
        logger.warn(
          `${root.work.size} answers still in flight after ${config.shutdownGraceMs} ms; stopping anyway`,
        );
      // The reverse of the start: what uses Slack, MCP or the database stops before they close.
      // Each step is logged at debug: a shutdown that outlives its grace period says where it hung.
      const step = async (name: string, run: () => Promise<void> | void) => {
        await run();
        logger.debug(`shutdown: ${name} done`);
      };
      await step('background workers', () => workers.stop());
      await step('HTTP server', async () => {
        http.playground?.close();
        await http.server.close();
      });
      await step('Slack', () => slack?.stop());
      await step('MCP services', () => knowledge.close());
      await step('storage', () => storage.stop());
      logger.info('stopped');
    })();
    return stopping;
  };

  return {
    url: http.url,
    port: http.port,
    config,
    logger,
    database: storage.database,
    metrics: root.metrics,
    registry: knowledge.registry,
    support: knowledge.support,
    slack,
    ...alerting,
    requests: slackSide.requests,
    slaWorker: slackSide.slaWorker,
    tickets,
    channelSettings: slackSide.channelSettings,
    threadSync: ticketSync?.worker,
    ticketOutbox: workers.ticketOutbox,
    digests: workers.digests,
    work: root.work,
    stop,
  };
}
