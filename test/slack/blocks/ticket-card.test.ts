import { describe, expect, it } from 'vitest';
import { cardAsText } from '../../../src/slack/blocks/card-as-text.js';
import { type TicketView, ticketCard } from '../../../src/slack/blocks/ticket-card.js';
import type { SectionBlock } from '../../../src/slack/blocks/types.js';
import { HOSTILE, makeAnswer } from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

const created: TicketView = {
  id: 7,
  status: 'created',
  subject: 'Locked out of my account',
  priority: 'high',
  number: '1042',
  url: 'https://secure.helpscout.net/conversation/99/1042',
  desk: 'HelpScout',
  externalStatus: 'active',
};
const headline = (ticket: TicketView) => (ticketCard(ticket).blocks[0] as SectionBlock).text?.text;

describe('ticketCard', () => {
  it('shows a filed ticket with number, link, subject, priority and status', () => {
    const card = ticketCard(created);
    expect(headline(created)).toBe(
      ':ticket: *Ticket <https://secure.helpscout.net/conversation/99/1042|#1042> filed in HelpScout*',
    );
    const fields = (card.blocks[1] as SectionBlock).fields?.map((f) => f.text);
    expect(fields).toEqual([
      '*Subject*\nLocked out of my account',
      '*Priority*\nhigh',
      '*Status*\nFiled · active',
      '*Link*\n<https://secure.helpscout.net/conversation/99/1042|Open #1042>',
    ]);
    expect(card.text).toBe('Ticket #1042 filed in HelpScout: Locked out of my account');
    assertWithinBlockKitLimits(card);
  });

  it('tells the asker a pending ticket is saved and will be filed', () => {
    expect(headline({ ...created, status: 'pending', number: undefined, url: undefined })).toBe(
      ':hourglass_flowing_sand: *HelpScout is unreachable right now — your ticket is saved and will be filed automatically.*',
    );
  });

  it('gives the reason a ticket failed, escaped', () => {
    const text = headline({ ...created, status: 'failed', lastError: `mailbox <@U1> not found` });
    expect(text).toContain("couldn't be filed in HelpScout");
    expect(text).toContain('Reason: mailbox &lt;@U1&gt; not found');
  });

  it('labels a local ticket', () => {
    const local = {
      ...created,
      status: 'local' as const,
      number: undefined,
      url: undefined,
      desk: undefined,
    };
    expect(headline(local)).toContain('saved locally (no ticket desk configured)');
    expect(headline(local)).toContain('#7');
  });

  it('shows the latest reply quoted and the question when given the answer', () => {
    const card = ticketCard({ ...created, lastReply: 'We reset it for you.' }, makeAnswer());
    const text = cardAsText(card.blocks);
    expect(text).toContain('Latest reply\n> We reset it for you.');
    expect(text).toContain('How do I reset my password?');
  });

  it('escapes the subject, the reply and the desk status', () => {
    const card = ticketCard({ ...created, subject: HOSTILE, lastReply: HOSTILE, externalStatus: '<!here>' });
    const json = JSON.stringify(card);
    for (const raw of ['<!channel>', '<!here>', '<@U1>', '<http://evil.example|click>'])
      expect(json).not.toContain(raw);
  });

  it('does not link a URL that is not http(s)', () => {
    const json = JSON.stringify(ticketCard({ ...created, url: 'javascript:alert(1)' }));
    expect(json).not.toContain('javascript:');
  });
});
