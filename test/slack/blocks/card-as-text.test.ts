import { describe, expect, it } from 'vitest';
import { answerCard } from '../../../src/slack/blocks/answer-card.js';
import { cardAsText, mrkdwnAsText } from '../../../src/slack/blocks/card-as-text.js';
import { ticketModal } from '../../../src/slack/blocks/ticket-modal.js';
import type { KnownBlock } from '../../../src/slack/blocks/types.js';
import {
  HOSTILE,
  makeAnswer,
  makeHit,
  makeNotFoundAnswer,
  makeQuestion,
  makeRepliedAnswer,
} from './fixtures.js';

describe('cardAsText', () => {
  it('prints an answer card readably', () => {
    expect(cardAsText(answerCard(makeAnswer(), { ticketsEnabled: true }).blocks)).toBe(
      [
        'You asked:\n> How do I reset my password?',
        'Resetting your password (https://help.acme.example/password-reset)\nKnowledge base\n' +
          'Open Settings → Security and choose Reset password. We email you a link that works for 30 minutes.',
        'SSO and passwords (https://notion.example/sso)\nNotion\nWith SSO, reset the password at your identity provider.',
        'Re: locked out\nHelpScout\nWe unlocked the account.',
        'Searched ✓ Knowledge base (2) · ✓ Notion (1) · ✓ HelpScout (1) · in 1.2 s',
        '[Solved] [Not helpful] [Create ticket]',
      ].join('\n\n'),
    );
  });

  it('prints the reply with its citations, and the cited sources with their links', () => {
    const text = cardAsText(answerCard(makeRepliedAnswer(), { ticketsEnabled: true }).blocks);
    expect(text).toContain(
      'Answer\n1. Open Settings → Security and choose Reset password. [1]\n2. Use the link we email you within 30 minutes. [1]\nWith SSO, reset the password at your identity provider. [2]',
    );
    expect(text).toContain(
      '[1] Resetting your password (https://help.acme.example/password-reset) · Knowledge base',
    );
    expect(text).toContain(
      'Might also help: Two-factor authentication (https://help.acme.example/2fa) (Knowledge base)',
    );
  });

  it('prints a not-found card', () => {
    const text = cardAsText(answerCard(makeNotFoundAnswer(), { ticketsEnabled: true }).blocks);
    expect(text).toContain("I don't know. Nothing in Knowledge base, Notion and HelpScout answers this");
    expect(text).toContain('⚠ Notion timed out · ⚠ HelpScout unavailable');
  });

  it('undoes the escapes, so user text reads as typed', () => {
    const answer = makeAnswer({
      question: makeQuestion({ text: HOSTILE }),
      hits: [makeHit({ title: 'Q&A <guide>', snippet: HOSTILE })],
    });
    const text = cardAsText(answerCard(answer, { ticketsEnabled: true }).blocks);
    expect(text).toContain(`> ${HOSTILE}`);
    expect(text).toContain('Q&A <guide> (https://help.acme.example/password-reset)');
    expect(text).not.toContain('&lt;');
    expect(text).not.toContain('&amp;');
  });

  it('prints headers, fields, mentions, dates and inputs', () => {
    const blocks: KnownBlock[] = [
      { type: 'header', text: { type: 'plain_text', text: 'Alert' } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: '*Asked by*\n<@U1>' },
          { type: 'mrkdwn', text: '*Where*\n<#C1|general>' },
        ],
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Taken at <!date^1^{time}|09:41 UTC> by <!subteam^S1|@oncall>' }],
      },
      { type: 'divider' },
    ];
    expect(cardAsText(blocks)).toBe(
      'Alert\n=====\n\nAsked by: @U1\nWhere: #general\n\nTaken at 09:41 UTC by @oncall\n\n---',
    );
    const modal = ticketModal({
      questionId: 'q',
      subject: 'Locked out',
      description: 'd',
      privateMetadata: '{}',
    });
    expect(cardAsText(modal.blocks as KnownBlock[])).toContain('Subject: Locked out');
    expect(cardAsText(modal.blocks as KnownBlock[])).toContain('Priority: Normal');
  });

  it('keeps emphasis characters that are part of words', () => {
    expect(mrkdwnAsText('*bold* and snake_case_name and 2*3*4')).toBe('bold and snake_case_name and 2*3*4');
  });
});
