import { describe, expect, it } from 'vitest';
import {
  alertCard,
  answerCard,
  cardAsText,
  errorNotice,
  escapeMrkdwn,
  feedbackCard,
  helpCard,
  lookingUpNotice,
  noticeCard,
  rateLimitNotice,
  type TicketStatus,
  ticketCard,
  ticketModal,
} from '../../../src/slack/blocks/index.js';
import type { CardMessage, KnownBlock, ModalView } from '../../../src/slack/blocks/types.js';
import type { Answer } from '../../../src/support/types.js';
import { HOSTILE, makeOversizedAnswer, randomText, seededRandom } from './fixtures.js';
import { blockKitViolations } from './limits-checker.js';

// One property over every card builder: whatever the input (10k-character questions, 200-character
// titles, 5k-character snippets, 50 hits, 100 sources, empty strings, mrkdwn control characters),
// the card is within every limit in limits.ts and no user text reaches Slack as a mention.

type Built = CardMessage | ModalView;
type Builder = (random: () => number, answer: Answer) => Built;

const STATUSES: TicketStatus[] = ['pending', 'created', 'failed', 'local'];

/** A length that is often an extreme: empty, one character, the full size, or anything between. */
function size(random: () => number, max: number): number {
  const pick = random();
  if (pick < 0.15) return 0;
  if (pick < 0.25) return 1;
  if (pick < 0.6) return max;
  return Math.floor(random() * max);
}
const text = (random: () => number, max: number) => `${randomText(random, size(random, max))}`;
const hostile = (random: () => number, max: number) =>
  random() < 0.5 ? `${HOSTILE} ${text(random, max)}` : text(random, max);
const maybeUrl = (random: () => number) =>
  [
    undefined,
    'https://x.example/a|b>c',
    `https://x.example/${'p'.repeat(5000)}`,
    'javascript:alert(1)',
    text(random, 300),
  ][Math.floor(random() * 5)];

const BUILDERS: Record<string, Builder> = {
  answerCard: (random, answer) => answerCard(answer, { ticketsEnabled: random() < 0.5 }),
  'answerCard (not found)': (_random, answer) =>
    answerCard({ ...answer, found: false, hits: [] }, { ticketsEnabled: true }),
  'feedbackCard solved': (_random, answer) => feedbackCard(answer, 'solved'),
  'feedbackCard not_helpful': (random, answer) =>
    feedbackCard(answer, 'not_helpful', { ticketsEnabled: random() < 0.5 }),
  helpCard: (random) =>
    helpCard({
      isAdmin: random() < 0.5,
      ticketsEnabled: random() < 0.5,
      alertChannel: hostile(random, 5000),
    }),
  noticeCard: (random) =>
    noticeCard(escapeMrkdwn(hostile(random, 10_000)), random() < 0.5 ? ':warning:' : undefined),
  lookingUpNotice: (random, answer) =>
    lookingUpNotice(
      hostile(random, 10_000),
      answer.lookups.map((lookup) => lookup.label),
    ),
  rateLimitNotice: (random) => rateLimitNotice(random() * 1e12),
  errorNotice: (random) => errorNotice(hostile(random, 5000)),
  ticketModal: (random) =>
    ticketModal({
      questionId: text(random, 100),
      subject: hostile(random, 10_000),
      description: hostile(random, 50_000),
      email: random() < 0.5 ? `${'a'.repeat(size(random, 5000))}@example.com` : hostile(random, 5000),
      priority: (['low', 'normal', 'high', 'urgent'] as const)[Math.floor(random() * 4)],
      type: (['email', 'chat', 'phone'] as const)[Math.floor(random() * 3)],
      privateMetadata: 'm'.repeat(size(random, 3000)),
    }),
  ticketCard: (random, answer) =>
    ticketCard(
      {
        id: Math.floor(random() * Number.MAX_SAFE_INTEGER),
        status: STATUSES[Math.floor(random() * STATUSES.length)] as TicketStatus,
        subject: hostile(random, 10_000),
        priority: hostile(random, 5000),
        number: random() < 0.7 ? hostile(random, 5000) : undefined,
        url: maybeUrl(random),
        desk: random() < 0.7 ? hostile(random, 5000) : undefined,
        lastError: hostile(random, 10_000),
        externalStatus: random() < 0.7 ? hostile(random, 5000) : undefined,
        lastReply: random() < 0.7 ? hostile(random, 10_000) : undefined,
      },
      random() < 0.5 ? answer : undefined,
    ),
  alertCard: (random, answer) =>
    alertCard(
      {
        id: random() < 0.5 ? Math.floor(random() * Number.MAX_SAFE_INTEGER) : text(random, 2000),
        question: { ...answer.question, channelKind: random() < 0.5 ? 'public' : 'im' },
        askedIn: random() < 0.7 ? hostile(random, 5000) : undefined,
        ticket:
          random() < 0.7
            ? { number: hostile(random, 5000), url: maybeUrl(random), status: hostile(random, 5000) }
            : undefined,
        takenBy: random() < 0.5 ? hostile(random, 5000) : undefined,
        takenAt: random() < 0.5 ? new Date(random() * 4e12) : undefined,
        escalated: random() < 0.5,
      },
      { showPrivateText: random() < 0.5 },
    ),
};

const SEEDS = 40;

describe('every card builder', () => {
  it('stays within Block Kit limits and lets no mention through, whatever the input', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const answer = makeOversizedAnswer(seed);
      for (const [name, build] of Object.entries(BUILDERS)) {
        const random = seededRandom(seed * 7919);
        const built = build(random, answer);
        const problems = blockKitViolations(built);
        // Button values come back to deskhand and are never shown, and a modal's inputs hold plain
        // text as typed: Slack reads neither as mrkdwn.
        const json =
          name === 'ticketModal'
            ? ''
            : JSON.stringify(built, (key, value) => (key === 'value' ? undefined : value));
        for (const mention of ['<!channel>', '<!here>', '<!everyone>', '<@U1>', '<http://evil.example']) {
          const at = json.indexOf(mention);
          if (at >= 0)
            problems.push(
              `${mention} reached Slack unescaped: …${json.slice(Math.max(0, at - 80), at + 40)}…`,
            );
        }
        expect(() => cardAsText(built.blocks as KnownBlock[])).not.toThrow();
        if (problems.length > 0)
          failures.push(`${name}, seed ${seed}:\n    ${problems.slice(0, 5).join('\n    ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('is checked by a checker that does catch broken limits', () => {
    const long = (n: number) => 'x'.repeat(n);
    const broken: CardMessage = {
      text: '',
      blocks: [
        { type: 'header', block_id: 'a', text: { type: 'plain_text', text: long(151) } },
        { type: 'section', block_id: 'a', text: { type: 'mrkdwn', text: long(3001) } },
        {
          type: 'section',
          fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: long(2001) })),
        },
        {
          type: 'context',
          elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: '' })),
        },
        {
          type: 'actions',
          elements: Array.from({ length: 26 }, () => ({
            type: 'button' as const,
            action_id: long(256),
            text: { type: 'plain_text' as const, text: long(76) },
            value: long(2001),
          })),
        },
      ],
    };
    const problems = blockKitViolations(broken).join('\n');
    for (const expected of [
      'text: fallback text is empty',
      'characters of text > 8000',
      'blocks[1](section).block_id: "a" is not unique',
      'blocks[0](header).text: 151 characters > 150',
      'blocks[1](section).text: 3001 characters > 3000',
      'blocks[2](section).fields: 11 fields',
      'blocks[2](section).fields[0]: 2001 characters > 2000',
      'blocks[3](context).elements: 11 elements',
      'blocks[3](context).elements[0]: empty text',
      'blocks[4](actions).elements: 26 elements',
      'blocks[4](actions).elements[0].action_id: 256 characters > 255',
      'blocks[4](actions).elements[0].text: 76 characters > 75',
      'blocks[4](actions).elements[0].value: 2001 characters > 2000',
      'blocks[4](actions).elements[1]: action_id',
    ]) {
      expect(problems).toContain(expected);
    }
    const tooMany: CardMessage = {
      text: 'x',
      blocks: Array.from({ length: 51 }, () => ({ type: 'divider' as const })),
    };
    expect(blockKitViolations(tooMany)).toEqual(['blocks: 51 blocks > 50']);
    const modal: ModalView = {
      type: 'modal',
      title: { type: 'plain_text', text: long(25) },
      private_metadata: long(3001),
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'L' },
          element: { type: 'plain_text_input', initial_value: long(3001) },
        },
      ],
    };
    expect(blockKitViolations(modal)).toEqual([
      'view.title: 25 characters > 24',
      'view.private_metadata: 3001 characters > 3000',
      'view.submit: a modal with input blocks needs a submit button',
      'blocks[0](input).element.initial_value: 3001 characters > 3000',
    ]);
  });
});
