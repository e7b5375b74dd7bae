import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from './config/env.js';
import { loadMcpServices, type McpServiceConfig } from './config/mcp-services.js';
import { type Database, openDatabase } from './db/client.js';
import { DrizzleAlertStore } from './db/repositories/alert-store.js';
import { BufferedSupportStore } from './db/repositories/buffered-support-store.js';
import { DrizzleDeliveryLedger } from './db/repositories/delivery-ledger.js';
import { DrizzleSupportStore } from './db/repositories/support-store.js';
import { DrizzleThreadQuestions } from './db/repositories/thread-questions.js';
import { DrizzleTicketStore } from './db/repositories/ticket-store.js';
import { ToolCallLog } from './db/repositories/tool-call-log.js';
import { WriteBuffer } from './db/write-buffer.js';
import { buildDigest, type DigestScheduler, startDigestScheduler } from './digest/index.js';
import { healthRoutes, type ReadinessState } from './http/health.js';
import { helpscoutWebhookRoute } from './http/helpscout-webhook.js';
import { HttpServer } from './http/server.js';
import { defaultServices, McpRegistry } from './mcp/index.js';
import { createLogger } from './observability/logger.js';
import { createMetricsRegistry } from './observability/metrics.js';
import {
  createPlayground,
  PLAYGROUND_ALERT_CHANNEL,
  PLAYGROUND_DIGEST_CHANNEL,
} from './playground/server.js';
import { WorkTracker } from './runtime/work-tracker.js';
import { SlackAlertNotifier } from './slack/alert-notifier.js';
import { createSlackApp, type SlackApp, type SlackConnection } from './slack/app.js';
import { digestCard } from './slack/blocks/index.js';
import type { SlackDeps } from './slack/deps.js';
import { SlackTicketNotifier } from './slack/ticket-notifier.js';
import { AlertService, EscalationWorker } from './support/alerts/index.js';
import { SupportService } from './support/support-service.js';
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
  tickets: TicketService;
  /** Files pending tickets in the background; tests drive it with `runOnce()`. */
  ticketOutbox: TicketOutboxWorker;
  /** The scheduled digest, when DIGEST_CHANNEL is set (always in the playground). */
  digests?: DigestScheduler;
  work: WorkTracker;
  /** Stops taking work, finishes what is in flight (up to the grace period), closes everything. */
  stop(): Promise<void>;
}

/** Which MCP services to connect: the services file if there is one, else the built-in knowledge base. */
export function resolveServices(
  config: AppConfig,
  env: Record<string, string | undefined>,
): McpServiceConfig[] {
  const path = config.mcpConfigPath ?? (existsSync('mcp_services.yml') ? 'mcp_services.yml' : undefined);
  if (path) return loadMcpServices(path, env);
  return defaultServices({ knowledgeDir: resolve(config.knowledgeDir) });
}

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
        }
      : configFromEnv;
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: config.secrets });
  const services = resolveServices(config, env);
  const triager = loadTriager(config.triageRulesPath);
  const metrics = createMetricsRegistry();
  const readiness: ReadinessState = { shuttingDown: false };
  const work = new WorkTracker();

  const database =
    options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  const ownsDatabase = !options.database;
  await database.migrate();
  logger.info({ database: database.description }, 'database ready');

  const toolCallLog = new ToolCallLog(database.db, logger);
  const registry = new McpRegistry({
    services,
    logger,
    metrics,
    recordToolCall: (call) => toolCallLog.record(call),
  });
  // Services slower than this join as soon as their tools are known: roles are looked up per use.
  await registry.connectAll({ waitMs: options.mcpStartWaitMs ?? MCP_START_WAIT_MS });

  // Questions keep being answered through a brief database outage; their rows are written once it is back.
  const writeBuffer = new WriteBuffer({ logger });
  const support = new SupportService({
    sources: () => registry.knowledgeSources(),
    store: new BufferedSupportStore(new DrizzleSupportStore(database.db), writeBuffer),
    logger,
    triager,
    lookupDeadlineMs: config.lookupDeadlineMs,
    questionMaxChars: config.questionMaxChars,
    questionsPerMinute: config.questionsPerMinute,
  });

  const tickets = new TicketService({
    store: new DrizzleTicketStore(database.db),
    desk: () => registry.ticketDesk(),
    awaitingDesk: () => registry.ticketDeskMayConnect(),
    logger,
  });

  const http = new HttpServer(logger);
  http.addRoutes(...healthRoutes(database, metrics, readiness));
  const playground = config.slack.kind === 'playground' ? createPlayground(logger) : undefined;
  if (playground) http.addRoutes(...playground.routes);
  const port = await http.listen(config.port, options.host);
  const url = `http://${options.host ?? 'localhost'}:${port}`;
  playground?.attach(url);

  let slack: SlackApp | undefined;
  const alerts = config.alertChannel
    ? new AlertService({
        store: new DrizzleAlertStore(database.db),
        notifier: new SlackAlertNotifier({
          client: () => slack?.app.client,
          oncallUsergroup: config.oncallUsergroup,
        }),
        questions: support,
        logger,
        channelId: config.alertChannel,
        escalateAfterMs: config.alertEscalateAfterMinutes * 60_000,
      })
    : undefined;
  const escalations = alerts && new EscalationWorker({ alerts, logger });

  const deps: SlackDeps = {
    support,
    deliveries: new DrizzleDeliveryLedger(database.db),
    alerts,
    tickets,
    threads: new DrizzleThreadQuestions(database.db),
    digest: (since) => buildDigest(database, { since, includePrivateText: true }),
    work,
    logger,
    settings: {
      get ticketsEnabled() {
        return registry.ticketDesk() !== undefined || registry.ticketDeskMayConnect();
      },
      supportAdmins: config.supportAdmins,
      alertChannel: config.alertChannel,
    },
  };

  const connection: SlackConnection =
    config.slack.kind === 'playground'
      ? { kind: 'http', botToken: playground?.botToken ?? '', signingSecret: playground?.signingSecret ?? '' }
      : config.slack.kind === 'http'
        ? { kind: 'http', botToken: config.slack.botToken, signingSecret: config.slack.signingSecret }
        : { kind: 'socket', botToken: config.slack.botToken, appToken: config.slack.appToken };
  slack = createSlackApp({
    connection,
    slackApiUrl: playground?.emulator.apiUrl ?? config.slackApiUrl,
    deps,
    logger,
    maxBodyBytes: config.maxBodyBytes,
  });
  if (slack.requestListener) http.setFallback(slack.requestListener);
  await slack.start();
  escalations?.start();
  // The asker's ticket card follows the ticket: filed by the outbox, then updated by HelpScout's webhooks.
  const ticketNotifier = new SlackTicketNotifier({
    client: () => slack?.app.client,
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
      logger,
      maxBodyBytes: config.maxBodyBytes,
    }),
  );
  const ticketOutbox = new TicketOutboxWorker({ tickets, notifier: ticketNotifier, logger });
  ticketOutbox.start();
  const digestChannel = config.digest.channel;
  const digests = digestChannel
    ? startDigestScheduler({
        database,
        cron: config.digest.cron,
        timezone: config.digest.timezone,
        replicaId: `${hostname()}:${process.pid}`,
        logger,
        post: async (digest) => {
          await slack?.app.client.chat.postMessage({ channel: digestChannel, ...digestCard(digest) });
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
      await ticketOutbox.stop();
      playground?.close();
      await http.close();
      await slack?.stop();
      await registry.close();
      await toolCallLog.close();
      if (!(await writeBuffer.flush(2_000)))
        logger.error(`${writeBuffer.pending} writes could not reach the database before exit`);
      writeBuffer.close();
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
    tickets,
    ticketOutbox,
    digests,
    work,
    stop,
  };
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
    logger.info(
      `deskhand is running at ${url} in ${config.slack.kind === 'http' ? 'HTTP' : 'Socket'} mode. MCP services: ${sources}.`,
    );
  }
  if (!config.alertChannel)
    logger.warn('ALERT_CHANNEL is not set: urgent questions will get tickets but no channel alert');
}
