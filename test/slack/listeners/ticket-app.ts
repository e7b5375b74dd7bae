import { openDatabase } from '../../../src/db/client.js';
import { DrizzleDeliveryLedger } from '../../../src/db/repositories/delivery-ledger.js';
import { DrizzleSupportStore } from '../../../src/db/repositories/support-store.js';
import { DrizzleTicketStore } from '../../../src/db/repositories/ticket-store.js';
import { helpscoutWebhookRoute } from '../../../src/http/helpscout-webhook.js';
import { HttpServer } from '../../../src/http/server.js';
import { createLogger } from '../../../src/observability/logger.js';
import type { SlackOutbound } from '../../../src/playground/emulator/index.js';
import { WorkTracker } from '../../../src/runtime/work-tracker.js';
import { createSlackApp, type SlackApp } from '../../../src/slack/app.js';
import type { SlackDeps } from '../../../src/slack/deps.js';
import { SlackTicketNotifier } from '../../../src/slack/ticket-notifier.js';
import type { KnowledgeSource } from '../../../src/support/ports.js';
import { SupportService } from '../../../src/support/support-service.js';
import { TicketOutboxWorker, TicketService } from '../../../src/support/tickets/index.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';
import { type FakeSlack, startFakeSlack } from '../../harness/fake-slack.js';
import { slackDriver } from '../../harness/slack-driver.js';
import { TicketDeskDouble } from '../../support/tickets/ticket-desk-double.js';

export const WEBHOOK_SECRET = 'helpscout-webhook-secret';

/** A knowledge base with a good answer to every password question (its snippet covers the question's words). */
const knowledgeBase: KnowledgeSource = {
  name: 'kb',
  label: 'Knowledge base',
  isAvailable: () => true,
  search: async (query) =>
    /password/i.test(query)
      ? [
          {
            source: 'kb',
            title: 'Reset your password',
            snippet: `Use the Forgot password link on the sign-in page. Covers: ${query}`,
            url: 'https://help.acme.example/articles/reset-password',
            score: 5,
          },
        ]
      : [],
};

export interface TicketApp {
  slack: FakeSlack;
  driver: SlackOutbound;
  database: TestDatabase;
  desk: TicketDeskDouble | undefined;
  tickets: TicketService;
  /** The outbox worker this "replica" runs; tests step it with runOnce(). */
  outbox: TicketOutboxWorker;
  /** Another replica's worker on its own connection pool, for races. */
  otherReplica(): Promise<{ outbox: TicketOutboxWorker; close(): Promise<void> }>;
  url: string;
  stop(): Promise<void>;
}

/**
 * deskhand's Slack app, ticket service, outbox and HelpScout webhook, put together as the
 * composition root does, on a fresh database, talking to the fake Slack; the ticket desk is a
 * test double the test can take down (or leave out, for local tickets).
 */
export async function startTicketApp(
  options: { desk?: boolean; webhookSecret?: string } = {},
): Promise<TicketApp> {
  const logger = createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent', pretty: false });
  const slack = await startFakeSlack();
  const database = await createTestDatabase();
  const desk = options.desk === false ? undefined : new TicketDeskDouble();
  const support = new SupportService({
    sources: [knowledgeBase],
    store: new DrizzleSupportStore(database.db),
    logger,
    lookupDeadlineMs: 1_000,
    questionMaxChars: 2_000,
  });
  const ticketService = (db: TestDatabase['db']) =>
    new TicketService({ store: new DrizzleTicketStore(db), desk, logger, deskDeadlineMs: 1_000 });
  const tickets = ticketService(database.db);
  const deps: SlackDeps = {
    support,
    deliveries: new DrizzleDeliveryLedger(database.db),
    tickets,
    work: new WorkTracker(),
    logger,
    settings: { ticketsEnabled: desk !== undefined, supportAdmins: [], everyoneIsAdminWithoutList: false },
  };
  const app: SlackApp = createSlackApp({
    connection: { kind: 'http', botToken: slack.botToken, signingSecret: slack.signingSecret },
    slackApiUrl: slack.apiUrl,
    deps,
    logger,
    maxBodyBytes: 1024 * 1024,
  });
  const notifier = (service: TicketService) =>
    new SlackTicketNotifier({
      client: () => app.app.client,
      deskLabel: () => service.deskLabel,
      findAnswer: (questionId) => support.findAnswer(questionId),
      rememberCard: (ticketId, location) => service.rememberCard(ticketId, location),
      logger,
    });
  const http = new HttpServer(logger);
  http.addRoutes(
    helpscoutWebhookRoute({
      secret: 'webhookSecret' in options ? options.webhookSecret : WEBHOOK_SECRET,
      tickets,
      notifier: notifier(tickets),
      logger,
      maxBodyBytes: 64 * 1024,
    }),
  );
  if (app.requestListener) http.setFallback(app.requestListener);
  const port = await http.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  const driver = slackDriver(slack, `${url}/slack/events`);
  const outbox = new TicketOutboxWorker({ tickets, notifier: notifier(tickets), logger });

  return {
    slack,
    driver,
    database,
    desk,
    tickets,
    outbox,
    url,
    async otherReplica() {
      // Its own pool, as another process would have; PGlite has a single connection to share.
      const pool = database.url ? await openDatabase({ url: database.url, maxConnections: 3 }) : undefined;
      const service = ticketService((pool ?? database).db);
      return {
        outbox: new TicketOutboxWorker({ tickets: service, notifier: notifier(service), logger }),
        close: async () => {
          await pool?.close();
        },
      };
    },
    async stop() {
      await outbox.stop();
      await http.close();
      await slack.close();
      await database.drop();
    },
  };
}
