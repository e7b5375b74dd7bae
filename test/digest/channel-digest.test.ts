import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests } from '../../src/db/schema/index.js';
import { buildDigest, digestAsText } from '../../src/digest/index.js';
import { digestCard } from '../../src/slack/blocks/index.js';
import { createTestDatabase, type TestDatabase } from '../harness/database.js';
import { assertWithinBlockKitLimits } from '../slack/blocks/limits-checker.js';

const NOW = new Date('2026-11-23T09:00:00Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);

interface RequestSeed {
  channel: string;
  createdMinutesAgo: number;
  status?: 'open' | 'in_progress' | 'resolved' | 'reopened';
  firstResponseAfterMinutes?: number;
  breached?: boolean;
  botReplied?: boolean;
}

describe('the digest per support channel', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    const seeds: RequestSeed[] = [
      // #help: four this week — two solved by the bot alone, one answered by a person after 10 min
      // and resolved, one still open after 30 min and breached; one open from three weeks ago.
      { channel: 'C0HELP', createdMinutesAgo: 60, status: 'resolved', botReplied: true },
      { channel: 'C0HELP', createdMinutesAgo: 120, status: 'resolved', botReplied: true },
      {
        channel: 'C0HELP',
        createdMinutesAgo: 180,
        status: 'resolved',
        botReplied: true,
        firstResponseAfterMinutes: 10,
      },
      { channel: 'C0HELP', createdMinutesAgo: 240, status: 'open', botReplied: true, breached: true },
      {
        channel: 'C0HELP',
        createdMinutesAgo: 21 * 24 * 60,
        status: 'in_progress',
        firstResponseAfterMinutes: 30,
      },
      // #billing: one request answered by a person after 50 minutes, still in progress.
      { channel: 'C0BILLING', createdMinutesAgo: 90, status: 'in_progress', firstResponseAfterMinutes: 50 },
      // Older than the period and resolved: counts nowhere.
      { channel: 'C0BILLING', createdMinutesAgo: 30 * 24 * 60, status: 'resolved' },
    ];
    for (const [index, seed] of seeds.entries()) {
      const createdAt = minutesAgo(seed.createdMinutesAgo);
      await database.db.insert(requests).values({
        teamId: 'T0DESKHAND',
        channelId: seed.channel,
        rootTs: `${Math.floor(createdAt.getTime() / 1000)}.${String(index).padStart(6, '0')}`,
        askerId: 'U0ASKER',
        channelKind: 'public',
        text: `request ${index}`,
        status: seed.status ?? 'open',
        slaDueAt: new Date(createdAt.getTime() + 30 * 60_000),
        createdAt,
        ...(seed.firstResponseAfterMinutes !== undefined
          ? {
              firstResponseAt: new Date(createdAt.getTime() + seed.firstResponseAfterMinutes * 60_000),
              firstResponseBy: 'U0AGENT1',
            }
          : {}),
        ...(seed.status === 'resolved' ? { resolvedAt: NOW } : {}),
        ...(seed.breached ? { breachedAt: new Date(createdAt.getTime() + 30 * 60_000) } : {}),
        ...(seed.botReplied ? { replyTs: `${Math.floor(createdAt.getTime() / 1000) + 1}.000000` } : {}),
      });
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('counts requests, bot-only answers, median first human response, breaches, resolved share and the oldest open one', async () => {
    const digest = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    expect(digest.channels.map((channel) => channel.channelId)).toEqual(['C0HELP', 'C0BILLING']);
    const [help, billing] = digest.channels;
    expect(help).toMatchObject({
      requests: 4,
      answeredByBot: 2,
      medianFirstResponseMinutes: 10,
      slaBreaches: 1,
      resolvedShare: 0.75,
    });
    // The oldest open request is the one from three weeks ago, though it is outside the period.
    expect(help?.oldestOpen?.ageMinutes).toBe(21 * 24 * 60);
    expect(billing).toMatchObject({
      requests: 1,
      answeredByBot: 0,
      medianFirstResponseMinutes: 50,
      slaBreaches: 0,
      resolvedShare: 0,
    });
    expect(billing?.oldestOpen?.ageMinutes).toBe(90);
  });

  it('shows each channel on the card (within Block Kit limits) and in the CLI text', async () => {
    const digest = await buildDigest(database, { since: '7d', now: NOW, includePrivateText: false });
    const card = digestCard(digest);
    assertWithinBlockKitLimits(card);
    const channels = JSON.stringify(card.blocks.find((block) => block.block_id === 'digest_channels'));
    expect(channels).toContain(
      '<#C0HELP> — 4 requests · 2 answered by the bot alone · first human response 10 min (median) · 1 SLA breach · 75% resolved · oldest open 21 d 0 h',
    );
    expect(channels).toContain('<#C0BILLING> — 1 request');
    const text = digestAsText(digest);
    expect(text).toContain('Support channels:');
    expect(text).toMatch(
      /C0BILLING\s+1 request · 0 answered by the bot alone · first human response 50 min \(median\) · 0 SLA breaches · 0% resolved · oldest open 1 h 30/,
    );
  });

  it('says so when there were no requests', async () => {
    const digest = await buildDigest(database, {
      since: '1d',
      now: new Date('2020-01-01T00:00:00Z'),
      includePrivateText: false,
    });
    expect(digest.channels).toEqual([]);
    expect(digestAsText(digest)).toContain('Support channels:\n  no requests');
    expect(JSON.stringify(digestCard(digest).blocks)).not.toContain('digest_channels');
  });
});
