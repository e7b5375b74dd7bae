import { describe, expect, it } from 'vitest';
import { breachAlertCard, humanRequestedText, requestCard } from '../../../src/slack/blocks/request-card.js';
import type { ActionsBlock, SectionBlock } from '../../../src/slack/blocks/types.js';
import type { SupportRequest } from '../../../src/support/requests/index.js';
import { HOSTILE, makeAnswer } from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

function makeRequest(overrides: Partial<SupportRequest> = {}): SupportRequest {
  const createdAt = new Date(Date.now() - 45 * 60_000);
  return {
    id: 42,
    teamId: 'T0DESKHAND',
    channelId: 'C0HELP',
    rootTs: '1780000000.000100',
    askerId: 'U0ASKER',
    channelKind: 'public',
    text: 'How do I reset my password?',
    status: 'open',
    slaDueAt: new Date(createdAt.getTime() + 30 * 60_000),
    createdAt,
    updatedAt: createdAt,
    ...overrides,
  };
}

const blockIds = (card: { blocks: { block_id?: string }[] }) => card.blocks.map((block) => block.block_id);
const block = <T>(card: { blocks: { block_id?: string }[] }, id: string) =>
  card.blocks.find((b) => b.block_id === id) as T;

describe('requestCard', () => {
  it('is the answer card with its buttons, then the status and Take it / I need a human', () => {
    const card = requestCard(makeRequest(), makeAnswer(), { ticketsEnabled: true });
    expect(blockIds(card).slice(-2)).toEqual(['request_status', 'request_actions']);
    expect(blockIds(card)).toContain('answer_actions');
    expect(block<SectionBlock>(card, 'request_status').text?.text).toMatch(
      /^\*Status:\* :large_green_circle: Open · first response due by <!date\^\d+\^\{time\}\|\d\d:\d\d UTC>$/,
    );
    expect(
      block<ActionsBlock>(card, 'request_actions').elements.map((e) => [
        e.action_id,
        (e as { value?: string }).value,
      ]),
    ).toEqual([
      ['request_take', '42'],
      ['request_human', '42'],
    ]);
    assertWithinBlockKitLimits(card);
  });

  it('shows the owner once taken, and drops Take it', () => {
    const card = requestCard(makeRequest({ status: 'in_progress', takenBy: 'U0AGENT1' }), makeAnswer(), {
      ticketsEnabled: false,
    });
    expect(block<SectionBlock>(card, 'request_status').text?.text).toBe(
      '*Status:* :eyes: In progress · taken by <@U0AGENT1>',
    );
    expect(block<ActionsBlock>(card, 'request_actions').elements.map((e) => e.action_id)).toEqual([
      'request_human',
    ]);
  });

  it('says who resolved it and offers no request buttons', () => {
    const card = requestCard(makeRequest({ status: 'resolved', resolvedBy: 'U0OTHER' }), undefined, {
      ticketsEnabled: false,
    });
    expect(blockIds(card)).toEqual(['request_intro', 'request_status']);
    expect(block<SectionBlock>(card, 'request_status').text?.text).toBe(
      '*Status:* :white_check_mark: Resolved by <@U0OTHER>',
    );
  });
});

describe('breachAlertCard', () => {
  it('links the thread, quotes the question escaped, and offers Take it', () => {
    const card = breachAlertCard(makeRequest({ text: HOSTILE }), {
      permalink: 'https://deskhand.slack.com/archives/C0HELP/p1780000000000100',
      slaMinutes: 30,
    });
    expect(blockIds(card)).toEqual(['breach_header', 'breach_summary', 'breach_question', 'breach_actions']);
    const summary = block<SectionBlock>(card, 'breach_summary').text?.text ?? '';
    expect(summary).toContain('<@U0ASKER> asked in <#C0HELP> 45 min ago (SLA 30 min)');
    expect(summary).toContain(
      '<https://deskhand.slack.com/archives/C0HELP/p1780000000000100|Open the thread>',
    );
    const quoted = block<SectionBlock>(card, 'breach_question').text?.text ?? '';
    expect(quoted.startsWith('>')).toBe(true);
    expect(quoted).toContain('&lt;!channel&gt;');
    expect(JSON.stringify(card)).not.toContain('<!channel>');
    expect(JSON.stringify(card)).not.toContain('<@U1>');
    expect(block<ActionsBlock>(card, 'breach_actions').elements[0]).toMatchObject({
      action_id: 'request_take',
      value: '42',
    });
    assertWithinBlockKitLimits(card);
  });

  it('never quotes a private channel’s question, and shows who took it', () => {
    const card = breachAlertCard(
      makeRequest({
        channelKind: 'private',
        channelId: 'G0PRIV',
        text: 'the vault password',
        takenBy: 'U0AGENT1',
      }),
      { permalink: 'javascript:alert(1)' },
    );
    expect(JSON.stringify(card)).not.toContain('vault');
    expect(JSON.stringify(card)).not.toContain('javascript:');
    expect(blockIds(card)).toContain('breach_taken');
    expect(blockIds(card)).not.toContain('breach_actions');
  });
});

describe('humanRequestedText', () => {
  it('mentions the group and the responders, and nothing that is not an id', () => {
    expect(humanRequestedText(['U0AGENT1', '<!channel>'], 'S0SUPPORT')).toBe(
      '<!subteam^S0SUPPORT> <@U0AGENT1> :raising_hand: The asker would like a person to help with this request. Can someone take it?',
    );
    expect(humanRequestedText([], 'not-a-group')).not.toContain('<');
  });
});
