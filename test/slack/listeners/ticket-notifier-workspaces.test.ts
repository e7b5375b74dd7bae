import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { BOT_ID, BOT_USER_ID, GENERAL_CHANNEL_ID } from '../../../src/playground/emulator/index.js';
import { InstalledWorkspaceClients } from '../../../src/slack/clients.js';
import { SlackTicketNotifier } from '../../../src/slack/ticket-notifier.js';
import type { Ticket } from '../../../src/support/tickets/index.js';
import type { Answer } from '../../../src/support/types.js';
import { type FakeSlack, startFakeSlack } from '../../harness/fake-slack.js';

const logger = createLogger({ level: 'silent' });
const NOW = new Date('2026-05-04T12:00:00Z');

describe('ticket cards with several workspaces installed', () => {
  let main: FakeSlack;
  let acme: FakeSlack;
  beforeAll(async () => {
    main = await startFakeSlack();
    acme = main.addTeam({ teamId: 'T0ACME', teamDomain: 'acme' });
  });
  afterAll(async () => {
    await main?.close();
  });

  it('are updated with the token of the workspace the question came from', async () => {
    const tokens: Record<string, string> = { T0DESKHAND: main.botToken, T0ACME: acme.botToken };
    const clients = new InstalledWorkspaceClients({
      tokenFor: async (teamId) => tokens[teamId],
      clientOptions: { slackApiUrl: main.apiUrl, retryConfig: { retries: 0 } },
    });
    const answers: Record<string, string> = { 'q-acme': 'T0ACME', 'q-main': 'T0DESKHAND' };
    const notifier = new SlackTicketNotifier({
      client: (teamId) => clients.clientFor(teamId),
      findAnswer: async (questionId) =>
        ({ question: { id: questionId, teamId: answers[questionId], text: 'Export is broken' } }) as Answer,
      deskLabel: () => 'HelpScout',
      logger,
      clock: { now: () => NOW },
    });
    // The same channel id and ts exist in both workspaces: only the right token finds the right card.
    const inAcme = acme.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      text: 'acme card',
    });
    main.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      text: 'main card',
    });

    await notifier.ticketChanged(ticketFor('q-acme', { channelId: GENERAL_CHANNEL_ID, ts: inAcme.ts }));
    expect(JSON.stringify(acme.workspace.message(GENERAL_CHANNEL_ID, inAcme.ts)?.blocks)).toContain(
      'filed in HelpScout',
    );
    expect(main.calls('chat.update')).toEqual([]);
    expect(acme.calls('chat.update')).toHaveLength(1);
  });

  it('are left alone for a workspace deskhand is no longer installed in', async () => {
    const clients = new InstalledWorkspaceClients({
      tokenFor: async () => undefined,
      clientOptions: { slackApiUrl: main.apiUrl },
    });
    const notifier = new SlackTicketNotifier({
      client: (teamId) => clients.clientFor(teamId),
      findAnswer: async (questionId) =>
        ({ question: { id: questionId, teamId: 'T0GONE', text: 'Export is broken' } }) as Answer,
      logger,
      clock: { now: () => NOW },
    });
    acme.clearCalls();
    await notifier.ticketChanged(ticketFor('q-gone', { channelId: GENERAL_CHANNEL_ID, ts: '1.000001' }));
    expect(acme.calls()).toEqual([]);
  });
});

function ticketFor(questionId: string, card: { channelId: string; ts: string }): Ticket {
  return {
    id: 9,
    idempotencyKey: `question:${questionId}`,
    questionId,
    status: 'created',
    reason: 'asked',
    subject: 'Export is broken',
    message: 'The export button does nothing.',
    priority: 'normal',
    type: 'email',
    requesterId: 'U0ASKER',
    desk: 'helpscout',
    externalId: '555',
    attempts: 1,
    nextAttemptAt: NOW,
    card,
    createdAt: NOW,
    updatedAt: NOW,
  };
}
