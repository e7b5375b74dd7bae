import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildAppHome } from './compose/app-home.js';
import { buildChannelSettings } from './compose/channel-settings.js';
import { buildMcpEndpoint } from './compose/mcp-endpoint.js';
import { buildReplyWriter } from './compose/replies.js';
import { buildReranker } from './compose/reranker.js';
import { resolveServices } from './compose/services.js';
import { buildSlackOAuth, type SlackOAuth } from './compose/slack-oauth.js';
import { buildSupportChannels, checkSupportChannels } from './compose/support-channels.js';
import { buildTicketSync } from './compose/ticket-sync.js';
import type { AppConfig } from './config/env.js';
import type { McpServiceConfig } from './config/mcp-services.js';
import { type Database, openConfiguredDatabase } from './db/client.js';
import { migrateAtStart } from './db/migrate-at-start.js';
import { DrizzleAlertStore } from './db/repositories/alert-store.js';
import { BufferedSupportStore } from './db/repositories/buffered-support-store.js';
import { DrizzleDeliveryLedger } from './db/repositories/delivery-ledger.js';
import { DrizzleSupportStore } from './db/repositories/support-store.js';
import { DrizzleThreadQuestions } from './db/repositories/thread-questions.js';
import { DrizzleTicketStore } from './db/repositories/ticket-store.js';
import { ToolCallLog } from './db/repositories/tool-call-log.js';
import { WriteSpool } from './db/spool.js';
import { WriteBuffer } from './db/write-buffer.js';
import { buildDigest, type DigestScheduler, startDigestScheduler } from './digest/index.js';
import { healthRoutes, type ReadinessState } from './http/health.js';
import { helpscoutWebhookRoute } from './http/helpscout-webhook.js';
import { HttpServer } from './http/server.js';
import { McpRegistry } from './mcp/index.js';
import { createLogger } from './observability/logger.js';
import { createMetricsRegistry } from './observability/metrics.js';
import {
  createPlayground,
  PLAYGROUND_ALERT_CHANNEL,
  PLAYGROUND_DIGEST_CHANNEL,
  PLAYGROUND_SUPPORT_CHANNEL,
  playgroundChannelCheck,
} from './playground/server.js';
import { WorkTracker } from './runtime/work-tracker.js';
import { SlackAlertNotifier } from './slack/alert-notifier.js';
import { createSlackApp, type SlackApp, type SlackConnection } from './slack/app.js';
import { digestCard } from './slack/blocks/index.js';
import { singleWorkspaceClients } from './slack/clients.js';
import type { SlackDeps } from './slack/deps.js';
import { SlackTicketNotifier } from './slack/ticket-notifier.js';
import { AlertService, EscalationWorker } from './support/alerts/index.js';
import type { ChannelSettingsService } from './support/channel-settings/index.js';
import type { RequestService, SlaWorker } from './support/requests/index.js';
import { SupportService } from './support/support-service.js';
import type { ThreadSyncWorker } from './support/ticket-sync/index.js';
import { TicketOutboxWorker, TicketService } from './support/tickets/index.js';
import { loadTriager } from './support/triage.js';

export interface StartOptions {
  /** An already opened database (tests); otherwise opened from the config. */
  database?: Database;
  logger?: Logger;
  /** Environment for `${VAR}` in the MCP services file; process.env by default. */
  env?: Record<string, string | undefined>;
  /** Where to listen; 127.0.0.1 in tests, all interfaces by default. */
  host?: string;
  /** How long start waits for MCP services to connect before serving without the slow ones. */
  mcpStartWaitMs?: number;
}

/**
 * Start waits until every MCP service has connected or failed once, but no longer than this; a
 * slower one becomes a knowledge source or the ticket desk when it connects.
 */
const MCP_START_WAIT_MS = 10_000;

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
  // Without Slack credentials the playground stands in for a workspace, with its channels as defaults.
  const config: AppConfig =
    configFromEnv.slack.kind === 'playground'
      ? {
          ...configFromEnv,
          alertChannel: configFromEnv.alertChannel ?? PLAYGROUND_ALERT_CHANNEL,
          digest: {
            ...configFromEnv.digest,
            channel: configFromEnv.digest.channel ?? PLAYGROUND_DIGEST_CHANNEL,
          },
          supportChannels:
            configFromEnv.supportChannels.length > 0
              ? configFromEnv.supportChannels
              : [PLAYGROUND_SUPPORT_CHANNEL],
        }
      : configFromEnv;
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: config.secrets });
  const services = resolveServices(config, env);
  const triager = loadTriager(config.triageRulesPath);
  const metrics = createMetricsRegistry();
  const readiness: ReadinessState = { shuttingDown: false };
  const work = new WorkTracker();
  // An unknown support channel is named before anything starts, so nothing is left to tear down.
  if (config.slack.kind === 'playground') playgroundChannelCheck(config.supportChannels);
  else if (config.slack.kind !== 'oauth')
    // With OAuth each workspace has its own channels and token: nothing to check before installs.
    await checkSupportChannels(
      config.supportChannels,
      { botToken: config.slack.botToken, slackApiUrl: config.slackApiUrl },
      logger,
    );

  const database =
    options.database ?? (await openConfiguredDatabase(config, (message) => logger.info(message)));
  const ownsDatabase = !options.database;
  // Questions keep being answered through a database outage; their rows are spooled to disk and
  // written once it is back, even after a crash in between.
  const writeBuffer = new WriteBuffer({ logger, spool: new WriteSpool(spoolDir(config, database), logger) });
  const migrations = await migrateAtStart(database, { logger, writeBuffer, readiness });

  const toolCallLog = new ToolCallLog(database.db, logger);
  const registry = new McpRegistry({
    services,
    logger,
    metrics,
    recordToolCall: (call) => toolCallLog.record(call),
  });
  // Services slower than this join as soon as their tools are known: roles are looked up per use.
  await registry.connectAll({ waitMs: options.mcpStartWaitMs ?? MCP_START_WAIT_MS });

  const support = new SupportService({
    sources: () => registry.knowledgeSources(),
    store: new BufferedSupportStore(new DrizzleSupportStore(database.db), writeBuffer),
    logger,
    triager,
    lookupDeadlineMs: config.lookupDeadlineMs,
    questionMaxChars: config.questionMaxChars,
    questionsPerMinute: config.questionsPerMinute,
    replies: buildReplyWriter(config, database.db, logger),
    reranker: buildReranker(config, database.db, logger),
  });

  const tickets = new TicketService({
    store: new DrizzleTicketStore(database.db),
    desk: () => registry.ticketDesk(),
    awaitingDesk: () => registry.ticketDeskMayConnect(),
    logger,
  });

  // Multi-workspace install: each workspace's token comes from its installation in the database.
  const oauth =
    config.slack.kind === 'oauth'
      ? buildSlackOAuth({ slack: config.slack, slackApiUrl: config.slackApiUrl, database, logger })
      : undefined;

  const http = new HttpServer(logger, { maxBodyBytes: config.maxBodyBytes });
  http.addRoutes(...healthRoutes(database, metrics, readiness));
  http.addRoutes(...buildMcpEndpoint({ config, database, support, tickets, work, logger }));
  const playground = config.slack.kind === 'playground' ? createPlayground(logger) : undefined;
  if (playground) http.addRoutes(...playground.routes);
  const port = await http.listen(config.port, options.host);
  const url = `http://${options.host ?? 'localhost'}:${port}`;
  playground?.attach(url);

  let slack: SlackApp | undefined;
  const slackClients = oauth?.clients ?? singleWorkspaceClients(() => slack?.app.client);
  const alerts = config.alertChannel
    ? new AlertService({
        store: new DrizzleAlertStore(database.db, writeBuffer),
        notifier: new SlackAlertNotifier({
          client: (teamId) => slackClients.clientFor(teamId),
          oncallUsergroup: config.oncallUsergroup,
        }),
        questions: support,
        logger,
        channelId: config.alertChannel,
        escalateAfterMs: config.alertEscalateAfterMinutes * 60_000,
      })
    : undefined;
  const escalations = alerts && new EscalationWorker({ alerts, logger });
  // Every kind of buffered write has its applier now: take over what a stopped deskhand spooled.
  await writeBuffer.replay();

  const channelSettings = buildChannelSettings(config, database);
  const ticketSync = buildTicketSync({ database, registry, client: () => slack?.app.client, logger });
  const supportChannels = buildSupportChannels({
    config,
    database,
    logger,
    client: () => slack?.app.client,
    findAnswer: (questionId) => support.findAnswer(questionId),
    ticketsEnabled: registry.ticketDesk() !== undefined,
    settings: channelSettings,
  });

  const deps: SlackDeps = {
    support,
    requests: supportChannels.requests,
    deliveries: new DrizzleDeliveryLedger(database.db),
    alerts,
    tickets,
    threads: new DrizzleThreadQuestions(database.db),
    digest: (since, teamId) =>
      buildDigest(database, { since, includePrivateText: false, teamId: oauth ? teamId : undefined }),
    channelSettings,
    appHome: buildAppHome({ database, channelSettings, requests: supportChannels.requests }),
    ticketSync: ticketSync?.sync,
    installations: oauth?.installations,
    work,
    logger,
    settings: {
      get ticketsEnabled() {
        return registry.ticketDesk() !== undefined || registry.ticketDeskMayConnect();
      },
      supportAdmins: config.supportAdmins,
      everyoneIsAdminWithoutList: config.slack.kind === 'playground',
      alertChannel: config.alertChannel,
    },
  };

  const connection: SlackConnection =
    config.slack.kind === 'playground'
      ? { kind: 'http', botToken: playground?.botToken ?? '', signingSecret: playground?.signingSecret ?? '' }
      : config.slack.kind === 'http'
        ? { kind: 'http', botToken: config.slack.botToken, signingSecret: config.slack.signingSecret }
        : config.slack.kind === 'socket'
          ? { kind: 'socket', botToken: config.slack.botToken, appToken: config.slack.appToken }
          : (oauth as SlackOAuth).connection;
  slack = createSlackApp({
    connection,
    slackApiUrl: playground?.emulator.apiUrl ?? config.slackApiUrl,
    deps,
    logger,
    maxBodyBytes: config.maxBodyBytes,
  });
  if (slack.requestListener) http.setFallback(slack.requestListener);
  if (oauth) http.addRoutes(...oauth.routes(slack.installer));
  try {
    await slack.start();
  } catch (error) {
    // A refused Socket Mode token ends the start: release what is open so the process can exit.
    await http.close();
    await registry.close();
    await toolCallLog.close();
    await writeBuffer.close();
    if (ownsDatabase) await database.close();
    throw error;
  }
  escalations?.start();
  supportChannels.slaWorker.start();
  // The asker's ticket card follows the ticket: filed by the outbox, then updated by HelpScout's webhooks.
  const ticketNotifier = new SlackTicketNotifier({
    client: (teamId) => slackClients.clientFor(teamId),
    deskLabel: () => tickets.deskLabel,
    findAnswer: (questionId) => support.findAnswer(questionId),
    rememberCard: (ticketId, location) => tickets.rememberCard(ticketId, location),
    logger,
  });
  http.addRoutes(
    helpscoutWebhookRoute({
      secret: config.helpscout.webhookSecret,
      tickets,
      notifier: ticketNotifier,
      threadSync: ticketSync?.sync,
      logger,
      maxBodyBytes: config.maxBodyBytes,
    }),
  );
  const ticketOutbox = new TicketOutboxWorker({ tickets, notifier: ticketNotifier, logger });
  ticketOutbox.start();
  ticketSync?.worker.start();
  const digestChannel = config.digest.channel;
  const digests = digestChannel
    ? startDigestScheduler({
        database,
        cron: config.digest.cron,
        timezone: config.digest.timezone,
        replicaId: `${hostname()}:${process.pid}`,
        logger,
        post: async (digest) => {
          if (oauth) await oauth.postDigests(digest, digestChannel);
          else await slack?.app.client.chat.postMessage({ channel: digestChannel, ...digestCard(digest) });
        },
      })
    : undefined;
  logStartup(logger, config, url, services);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      readiness.shuttingDown = true;
      logger.info('shutting down: finishing answers in flight');
      const finished = await work.drain(config.shutdownGraceMs);
      if (!finished)
        logger.warn(
          `${work.size} answers still in flight after ${config.shutdownGraceMs} ms; stopping anyway`,
        );
      digests?.stop();
      await escalations?.stop();
      await supportChannels.slaWorker.stop();
      await ticketOutbox.stop();
      await ticketSync?.worker.stop();
      playground?.close();
      await http.close();
      await slack?.stop();
      await registry.close();
      await toolCallLog.close();
      migrations.stop();
      if (!(await writeBuffer.flush(2_000)))
        logger.error(
          `${writeBuffer.pending} writes could not reach the database before exit; they stay in the spool for the next start`,
        );
      await writeBuffer.close();
      if (ownsDatabase) await database.close();
      logger.info('stopped');
    })();
    return stopping;
  };

  return {
    url,
    port,
    config,
    logger,
    database,
    metrics,
    registry,
    support,
    slack,
    alerts,
    escalations,
    requests: supportChannels.requests,
    slaWorker: supportChannels.slaWorker,
    tickets,
    channelSettings,
    threadSync: ticketSync?.worker,
    ticketOutbox,
    digests,
    work,
    stop,
  };
}

/**
 * Where this database's spooled writes live: one folder per database, so writes kept for one
 * are never replayed into another that shares the data folder.
 */
function spoolDir(config: AppConfig, database: Database): string {
  const id = createHash('sha256').update(database.description).digest('hex').slice(0, 16);
  return resolve(config.dataDir, 'spool', id);
}

function logStartup(logger: Logger, config: AppConfig, url: string, services: McpServiceConfig[]): void {
  const sources = services.map((service) => `${service.name} (${service.transport})`).join(', ');
  if (config.slack.kind === 'playground') {
    logger.info(
      `deskhand is running with no Slack credentials: open the playground at ${url}/ and type ` +
        '"/support How do I reset my password?". To connect a real workspace, create an app from manifest.yml ' +
        'and set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode). From the terminal: ' +
        `npx deskhand ask "How do I reset my password?". MCP services: ${sources}.`,
    );
  } else {
    const mode =
      config.slack.kind === 'oauth'
        ? `multi-workspace mode (install it in a workspace from ${url}/slack/install)`
        : `${config.slack.kind === 'http' ? 'HTTP' : 'Socket'} mode`;
    logger.info(`deskhand is running at ${url} in ${mode}. MCP services: ${sources}.`);
  }
  if (!config.alertChannel)
    logger.warn('ALERT_CHANNEL is not set: urgent questions will get tickets but no channel alert');
}
