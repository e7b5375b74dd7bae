import { describe, expect, it } from 'vitest';
import { type AlertView, alertCard, escalationText } from '../../../src/slack/blocks/alert-card.js';
import type { ActionsBlock, SectionBlock } from '../../../src/slack/blocks/types.js';
import { HOSTILE, makeQuestion } from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

const alert: AlertView = {
  id: 31,
  question: makeQuestion({
    text: 'Checkout is down for all customers',
    triage: { urgency: 'high', category: 'billing', matched: ['down'] },
  }),
  askedIn: 'C0GENERAL',
  ticket: { number: '1042', url: 'https://secure.helpscout.net/conversation/99/1042', status: 'created' },
};
const blockById = (card: ReturnType<typeof alertCard>, id: string) =>
  card.blocks.find((b) => b.block_id === id);

describe('alertCard', () => {
  const card = alertCard(alert);

  it('has a 🚨 header, the details, the question and a Take it button with the alert id', () => {
    expect(card.blocks.map((b) => b.block_id)).toEqual([
      'alert_header',
      'alert_details',
      'alert_question',
      'alert_actions',
    ]);
    expect(blockById(card, 'alert_header')).toMatchObject({
      type: 'header',
      text: { text: '🚨 Urgent support question' },
    });
    expect((blockById(card, 'alert_details') as SectionBlock).fields?.map((f) => f.text)).toEqual([
      '*Asked by*\n<@U0ASKER>',
      '*Where*\n<#C0GENERAL>',
      '*Urgency*\nhigh — matched “down”',
      '*Category*\nbilling',
      '*Ticket*\n<https://secure.helpscout.net/conversation/99/1042|#1042> · created',
    ]);
    expect((blockById(card, 'alert_question') as SectionBlock).text?.text).toBe(
      '>Checkout is down for all customers',
    );
    expect((blockById(card, 'alert_actions') as ActionsBlock).elements).toEqual([
      expect.objectContaining({
        action_id: 'alert_take',
        value: '31',
        text: expect.objectContaining({ text: 'Take it' }),
      }),
    ]);
    expect(card.text).toBe('🚨 Urgent billing question from <@U0ASKER>: Checkout is down for all customers');
    assertWithinBlockKitLimits(card);
  });

  it('once taken, says who and when, without the button', () => {
    const taken = alertCard({ ...alert, takenBy: 'U0AGENT', takenAt: new Date('2026-05-04T09:41:00Z') });
    expect(taken.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(blockById(taken, 'alert_taken'))).toContain(
      'Taken by <@U0AGENT> at <!date^1777887660^{time}|09:41 UTC>',
    );
    assertWithinBlockKitLimits(taken);
  });

  it('marks an escalated alert that is still open', () => {
    const escalated = alertCard({ ...alert, escalated: true });
    expect(blockById(escalated, 'alert_escalated')).toBeDefined();
    expect(blockById(escalated, 'alert_actions')).toBeDefined();
  });

  it('escapes the question and never mentions anyone from user text', () => {
    const hostile = alertCard({ ...alert, question: makeQuestion({ text: HOSTILE }), askedIn: '<!channel>' });
    const json = JSON.stringify(hostile);
    for (const raw of ['<!channel>', '<!here>', '<@U1>', '<http://evil.example|click>'])
      expect(json).not.toContain(raw);
    expect(json).toContain('&lt;!channel&gt;');
  });

  it('leaves out text asked in a DM or private channel unless allowed', () => {
    const dm = {
      ...alert,
      askedIn: undefined,
      question: makeQuestion({ text: 'my secret', channelKind: 'im', channelId: 'D1' }),
    };
    const hidden = alertCard(dm);
    expect(JSON.stringify(hidden)).not.toContain('my secret');
    expect((blockById(hidden, 'alert_question') as SectionBlock).text?.text).toMatch(/direct message/);
    expect(JSON.stringify(alertCard(dm, { showPrivateText: true }))).toContain('my secret');
  });

  it('writes a non-Slack asker id as text, not as a mention', () => {
    const cli = alertCard({ ...alert, question: makeQuestion({ askerId: 'cli' }) });
    expect((blockById(cli, 'alert_details') as SectionBlock).fields?.[0]?.text).toBe('*Asked by*\ncli');
  });
});

describe('escalationText', () => {
  it('mentions the on-call user group when one is set', () => {
    expect(escalationText('S0ONCALL')).toBe(
      "<!subteam^S0ONCALL> :rotating_light: This urgent question hasn't been taken yet — can someone take it?",
    );
  });

  it('mentions no one without a valid group id', () => {
    expect(escalationText()).toBe(
      ":rotating_light: This urgent question hasn't been taken yet — can someone take it?",
    );
    expect(escalationText('!channel')).not.toContain('<');
  });
});
