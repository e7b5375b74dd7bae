import { describe, expect, it } from 'vitest';
import {
  clamp,
  clampMrkdwn,
  fitBlocks,
  MESSAGE_BLOCKS_MAX,
  SECTION_TEXT_MAX,
} from '../../../src/slack/blocks/limits.js';
import type { KnownBlock } from '../../../src/slack/blocks/types.js';

describe('clamp', () => {
  it('leaves short text alone', () => {
    expect(clamp('short', 10)).toBe('short');
  });

  it('cuts on a word boundary and ends with …', () => {
    expect(clamp('the quick brown fox jumps', 18)).toBe('the quick brown…');
  });

  it('cuts mid-word when no boundary is near', () => {
    const cut = clamp('a'.repeat(100), 10);
    expect(cut).toBe(`${'a'.repeat(9)}…`);
  });

  it('never exceeds max and never splits a surrogate pair', () => {
    for (let max = 0; max < 30; max++) {
      const cut = clamp('😀'.repeat(40), max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
  });
});

describe('clampMrkdwn', () => {
  it('does not leave half an entity at the cut', () => {
    const cut = clampMrkdwn(`abc ${'&amp;'.repeat(20)}`, 12);
    expect(cut).toBe('abc &amp;…');
  });

  it('does not leave half a link at the cut', () => {
    const cut = clampMrkdwn('see <https://example.com/a/long/path|the docs> now', 20);
    expect(cut).toBe('see…');
  });
});

function section(id: string, text = id): KnownBlock {
  return { type: 'section', block_id: id, text: { type: 'mrkdwn', text } };
}
const buttons: KnownBlock = {
  type: 'actions',
  block_id: 'buttons',
  elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'A' } }],
};

describe('fitBlocks', () => {
  it('returns blocks that fit unchanged', () => {
    const blocks = [section('a'), buttons];
    expect(fitBlocks(blocks, MESSAGE_BLOCKS_MAX)).toBe(blocks);
  });

  it('keeps the first block and the actions, and says how many were left out', () => {
    const blocks = [section('head'), ...Array.from({ length: 60 }, (_, i) => section(`s${i}`)), buttons];
    const fitted = fitBlocks(blocks, 10);
    expect(fitted).toHaveLength(10);
    expect(fitted[0]).toBe(blocks[0]);
    expect(fitted.at(-1)).toBe(buttons);
    expect(fitted.slice(1, 8).map((b) => b.block_id)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
    expect(fitted[8]).toEqual({
      type: 'context',
      block_id: 'more_not_shown',
      elements: [{ type: 'mrkdwn', text: '… 53 more not shown' }],
    });
  });

  it('drops blocks until their text fits a budget', () => {
    const big = 'x'.repeat(SECTION_TEXT_MAX);
    const blocks = [section('head'), section('a', big), section('b', big), section('c', big), buttons];
    const fitted = fitBlocks(blocks, 50, { textBudget: 7000 });
    expect(fitted.map((b) => b.block_id)).toEqual(['head', 'a', 'b', 'more_not_shown', 'buttons']);
  });
});
