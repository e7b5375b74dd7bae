import { describe, expect, it } from 'vitest';
import {
  errorNotice,
  lookingUpNotice,
  noticeCard,
  rateLimitNotice,
} from '../../../src/slack/blocks/notice-card.js';
import type { SectionBlock } from '../../../src/slack/blocks/types.js';
import { HOSTILE } from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

const line = (card: { blocks: unknown[] }) => (card.blocks[0] as SectionBlock).text?.text;

describe('noticeCard', () => {
  it('is one section with the emoji first, and the same fallback text', () => {
    const card = noticeCard('Looking that up…', ':mag:');
    expect(card).toEqual({
      text: ':mag: Looking that up…',
      blocks: [
        { type: 'section', block_id: 'notice', text: { type: 'mrkdwn', text: ':mag: Looking that up…' } },
      ],
    });
    expect(line(noticeCard('plain'))).toBe('plain');
    assertWithinBlockKitLimits(card);
  });

  it('tells a rate-limited asker when to try again', () => {
    expect(line(rateLimitNotice(39.2))).toBe(
      ":hourglass_flowing_sand: You've asked a lot of questions in the last minute — try again in 40 s.",
    );
  });

  it('says the question was saved, with a reference', () => {
    expect(line(errorNotice('q-123'))).toBe(
      ':warning: Something went wrong on our side; your question was saved (ref q-123).',
    );
    expect(line(errorNotice())).toBe(':warning: Something went wrong on our side; your question was saved.');
  });

  it('escapes the question while looking it up', () => {
    const card = lookingUpNotice(HOSTILE, ['Knowledge base', 'Notion']);
    expect(line(card)).toMatch(/^:mag: Looking up “&lt;!channel&gt;.*” in Knowledge base, Notion…$/);
    expect(JSON.stringify(card)).not.toContain('<!channel>');
    expect(line(lookingUpNotice('x', []))).toBe(':mag: Looking up “x” in the knowledge base…');
  });
});
