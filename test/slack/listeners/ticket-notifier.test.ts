import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import {
  BOT_DM_CHANNEL_ID,
  BOT_ID,
  BOT_USER_ID,
  GENERAL_CHANNEL_ID,
} from '../../../src/playground/emulator/index.js';
import { SlackTicketNotifier } from '../../../src/slack/ticket-notifier.js';
import type { Ticket } from '../../../src/support/tickets/index.js';
import { type FakeSlack, startFakeSlack } from '../../harness/fake-slack.js';

const logger = createLogger({ level: 'silent' });
const NOW = new Date('2026-05-04T12:00:00Z');

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    id: 7,
    idempotencyKey: 'question:x',
    status: 'created',
    reason: 'asked',
    subject: 'Export is broken',
    message: 'The export button does nothing.',
    priority: 'normal',
    type: 'email',
    requesterId: 'U0ASKER',
    desk: 'helpscout',
    externalId: '555',
    externalUrl: 'https://secure.helpscout.net/conversation/555',
    attempts: 1,
    nextAttemptAt: NOW,
    card: {},
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
}

describe('the asker’s ticket card following the ticket', () => {
  let slack: FakeSlack;
  const remembered: Array<{ ticketId: number; location: { channelId: string; ts: string } }> = [];
  let notifier: SlackTicketNotifier;

  beforeAll(async () => {
    slack = await startFakeSlack();
    const client = slack.client();
    notifier = new SlackTicketNotifier({
      client: () => client,
      deskLabel: () => 'HelpScout',
      rememberCard: async (ticketId, location) => {
        remembered.push({ ticketId, location });
      },
      logger,
      clock: { now: () => NOW },
    });
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('updates a card posted as a regular message in place', async () => {
    const posted = slack.workspace.postMessage({
      channel: GENERAL_CHANNEL_ID,
      user: BOT_USER_ID,
      bot_id: BOT_ID,
      text: 'answer',
    });
    await notifier.ticketChanged(ticket({ card: { channelId: GENERAL_CHANNEL_ID, ts: posted.ts } }));
    const updated = slack.workspace.message(GENERAL_CHANNEL_ID, posted.ts);
    expect(JSON.stringify(updated?.blocks)).toContain('filed in HelpScout');
  });

  it('sends the card as a DM once the response_url has expired, then keeps updating that DM', async () => {
    const old = new Date(NOW.getTime() - 40 * 60_000);
    const expired = ticket({ createdAt: old, card: { responseUrl: `${slack.baseUrl}/response/expired` } });
    await notifier.ticketChanged(expired);
    expect(slack.calls('response_url')).toHaveLength(0);
    const dm = await slack.waitForCall('chat.postMessage', (call) => call.args.channel === 'U0ASKER');
    expect(JSON.stringify(dm.args.blocks)).toContain('filed in HelpScout');
    expect(remembered).toEqual([
      { ticketId: 7, location: { channelId: BOT_DM_CHANNEL_ID, ts: dm.response.ts } },
    ]);

    const moved = {
      ...expired,
      externalStatus: 'closed',
      card: { ...expired.card, ...remembered[0]?.location },
    };
    await notifier.ticketChanged(moved);
    const update = await slack.waitForCall('chat.update', (call) => call.args.ts === dm.response.ts);
    expect(JSON.stringify(update.args.blocks)).toContain('closed');
    expect(slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('falls back to a DM when Slack refuses the response_url', async () => {
    const before = slack.calls('chat.postMessage').length;
    await notifier.ticketChanged(
      ticket({ id: 8, card: { responseUrl: `${slack.baseUrl}/response/0123456789abcdef` } }),
    );
    expect(slack.calls('response_url').at(-1)?.status).toBe(404);
    expect(slack.calls('chat.postMessage')).toHaveLength(before + 1);
  });
});
