import { describe, expect, it } from 'vitest';
import { cardAsText } from '../../../src/slack/blocks/card-as-text.js';
import { helpCard } from '../../../src/slack/blocks/help-card.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

describe('helpCard', () => {
  it('explains every way to ask', () => {
    const card = helpCard({ isAdmin: false, ticketsEnabled: true });
    const text = cardAsText(card.blocks);
    expect(text).toContain('/support <question>');
    expect(text).toContain('/support --urgent <question>');
    expect(text).toContain('/support help');
    expect(text).toContain('Ask support');
    expect(text).toContain('@deskhand');
    expect(text).toMatch(/direct message/);
    assertWithinBlockKitLimits(card);
  });

  it('shows the digest command to admins only', () => {
    expect(JSON.stringify(helpCard({ isAdmin: false, ticketsEnabled: true }))).not.toContain(
      '/support digest',
    );
    expect(cardAsText(helpCard({ isAdmin: true, ticketsEnabled: true }).blocks)).toContain(
      '/support digest [1d|7d|30d]',
    );
  });

  it('escapes the placeholders so Slack does not read <question> as markup', () => {
    const json = JSON.stringify(helpCard({ isAdmin: true, ticketsEnabled: true }));
    expect(json).not.toContain('<question>');
    expect(json).toContain('&lt;question&gt;');
  });

  it('names the alert channel and says when tickets stay local', () => {
    const withChannel = JSON.stringify(
      helpCard({ isAdmin: false, ticketsEnabled: false, alertChannel: 'C0ALERTS' }),
    );
    expect(withChannel).toContain('<#C0ALERTS>');
    expect(withChannel).toContain('no ticket desk is connected');
    const oddChannel = JSON.stringify(
      helpCard({ isAdmin: false, ticketsEnabled: true, alertChannel: '<!channel>' }),
    );
    expect(oddChannel).not.toContain('<!channel>');
  });
});
