import { describe, expect, it } from 'vitest';
import { answerCard } from '../../../src/slack/blocks/answer-card.js';
import { feedbackCard } from '../../../src/slack/blocks/feedback-card.js';
import type { ActionsBlock, SectionBlock } from '../../../src/slack/blocks/types.js';
import { HOSTILE, makeAnswer, makeQuestion, QUESTION_ID } from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

describe('feedbackCard', () => {
  const answer = makeAnswer();
  const answerBlocks = answerCard(answer, { ticketsEnabled: true }).blocks;
  const sourcesOf = (blocks: typeof answerBlocks) =>
    blocks.filter((b) => b.block_id?.startsWith('answer_source_'));

  it('thanks the asker for Solved and keeps the same sources, without buttons', () => {
    const card = feedbackCard(answer, 'solved');
    expect((card.blocks[0] as SectionBlock).text?.text).toBe('*Glad that helped! ✓*');
    expect(sourcesOf(card.blocks)).toEqual(sourcesOf(answerBlocks));
    expect(sourcesOf(card.blocks)).toHaveLength(3);
    expect(card.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(card.blocks.map((b) => b.block_id)).toContain('answer_sources');
    assertWithinBlockKitLimits(card);
  });

  it('offers a person for Not helpful, keeping Create ticket and the sources', () => {
    const card = feedbackCard(answer, 'not_helpful');
    expect((card.blocks[0] as SectionBlock).text?.text).toBe(
      '*Thanks — noted that this didn’t help. Want a person to look at it?*',
    );
    expect(sourcesOf(card.blocks)).toEqual(sourcesOf(answerBlocks));
    const actions = card.blocks.find((b) => b.type === 'actions') as ActionsBlock;
    expect(actions.elements).toEqual([
      expect.objectContaining({ action_id: 'answer_create_ticket', value: QUESTION_ID, style: 'primary' }),
    ]);
    assertWithinBlockKitLimits(card);
  });

  it('labels the ticket button as local when no desk is configured', () => {
    const card = feedbackCard(answer, 'not_helpful', { ticketsEnabled: false });
    const actions = card.blocks.find((b) => b.type === 'actions') as ActionsBlock;
    expect(actions.elements[0]).toMatchObject({ text: { text: 'Create ticket (saved locally)' } });
  });

  it('escapes the question in blocks and fallback text', () => {
    const card = feedbackCard(makeAnswer({ question: makeQuestion({ text: HOSTILE }) }), 'solved');
    const json = JSON.stringify(card);
    for (const raw of ['<!channel>', '<!here>', '<@U1>', '<http://evil.example|click>'])
      expect(json).not.toContain(raw);
    expect(card.text).toContain('&lt;!channel&gt;');
  });
});
