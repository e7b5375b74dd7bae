import { describe, expect, it } from 'vitest';
import { analyse } from '../../../src/support/analysis.js';
import { decideFound, rankHits } from '../../../src/support/ranking.js';
import { extractiveReply, isGrounded } from '../../../src/support/replies/index.js';
import { passageUnits, splitSentences } from '../../../src/support/replies/sentences.js';
import type { KnowledgeHit } from '../../../src/support/types.js';

const kb = (
  title: string,
  passages: KnowledgeHit['passages'],
  extra: Partial<KnowledgeHit> = {},
): KnowledgeHit => ({
  source: 'kb',
  title,
  snippet: '',
  url: `https://help.example/${encodeURIComponent(title)}`,
  score: 1,
  passages,
  ...extra,
});

describe('the extractive reply', () => {
  it('keeps numbered steps as a list, each citing its source', () => {
    const hits = [
      kb('Export your data', [
        { text: 'Everything you store can leave with you.' },
        {
          heading: 'Export a project',
          text: '1. Open the project.\n2. Click Export and choose CSV.\n3. Download the file from the email.',
        },
      ]),
    ];
    const drafted = extractiveReply(
      'how can i export a project to csv',
      rankHits('how can i export a project to csv', hits, 3),
    );
    expect(drafted?.reply.parts).toEqual([
      { kind: 'step', text: 'Open the project.', cites: [1] },
      { kind: 'step', text: 'Click Export and choose CSV.', cites: [1] },
      { kind: 'step', text: 'Download the file from the email.', cites: [1] },
    ]);
    expect(drafted?.reply.text).toBe(
      '1. Open the project. [1]\n2. Click Export and choose CSV. [1]\n3. Download the file from the email. [1]',
    );
    expect(drafted?.reply.citations).toEqual([
      { n: 1, title: 'Export your data', url: 'https://help.example/Export%20your%20data', source: 'kb' },
    ]);
  });

  it('quotes the sentences that answer, whole, in their order, from the best passage', () => {
    const hits = [
      kb('Invoices', [
        {
          text: 'We send an invoice on every charge. You can download each invoice as a PDF from Settings → Billing. Receipts follow payments. Prices are in euros.',
        },
      ]),
    ];
    const question = 'where do i download an invoice pdf';
    const drafted = extractiveReply(question, rankHits(question, hits, 3));
    expect(drafted?.reply.parts.map((part) => part.text)).toContain(
      'You can download each invoice as a PDF from Settings → Billing.',
    );
    for (const part of drafted?.reply.parts ?? []) expect(part.text).toMatch(/^[A-Z].*[.!?]$/);
    expect(isGrounded(drafted!.reply, drafted!.cited)).toBe(true);
  });

  it('never quotes the half sentences a snippet was cut at', () => {
    const hit = kb('Snippet only', undefined, {
      snippet:
        '…the link from the email. Reset links work for sixty minutes only. Ask for a new one if it ran…',
    });
    const drafted = extractiveReply(
      'how long does a reset link work',
      rankHits('how long does a reset link work', [hit], 3),
    );
    expect(drafted?.reply.parts.map((part) => part.text)).toEqual([
      'Reset links work for sixty minutes only.',
    ]);
  });

  it('cites a second source when it covers the question as well, and no padding otherwise', () => {
    const question = 'reset password email never arrives';
    const hits = [
      kb('Reset your password', [
        { text: 'If the reset password email never arrives, check the spam folder first.' },
      ]),
      {
        ...kb('Runbook: reset password email', [
          { text: 'When a reset password email never arrives, resend it from the admin console.' },
        ]),
        source: 'notion',
      },
      kb('Office seating plan', [{ text: 'Everyone sits on the third floor.' }]),
    ];
    const drafted = extractiveReply(question, rankHits(question, hits, 3));
    expect(drafted?.cited.map((hit) => hit.source).sort()).toEqual(['kb', 'notion']);
    expect(drafted?.reply.parts.map((part) => part.cites)).toEqual([[1], [2]]);
    expect(isGrounded(drafted!.reply, drafted!.cited)).toBe(true);
  });

  it('counts a reply as grounded only when each part is in a passage it cites', () => {
    const hits = [kb('A', [{ text: 'Alpha beta gamma delta.' }])];
    const reply = {
      text: '',
      method: 'extractive' as const,
      citations: [],
      parts: [{ kind: 'sentence' as const, text: 'Something else entirely.', cites: [1] }],
    };
    expect(isGrounded(reply, hits)).toBe(false);
    expect(
      isGrounded(
        { ...reply, parts: [{ kind: 'sentence', text: 'Alpha beta gamma delta.', cites: [2] }] },
        hits,
      ),
    ).toBe(false);
  });
});

describe('sentences and terms', () => {
  it('splits sentences without breaking on abbreviations or decimals', () => {
    expect(splitSentences('Use e.g. Okta or Azure AD. Version 2.5 is out! Done?')).toEqual([
      'Use e.g. Okta or Azure AD.',
      'Version 2.5 is out!',
      'Done?',
    ]);
    expect(passageUnits('1. First step\n- a bullet item here.').map((unit) => unit.kind)).toEqual([
      'step',
      'sentence',
    ]);
  });

  it('folds abbreviations and phrases, stems, and ignores question words and chatter', () => {
    expect(analyse('ok dumb question but how do I turn on 2FA?')).toEqual(['turn', 'twofactor']);
    expect(analyse('two-factor authentication')).toEqual(['twofactor']);
    expect(analyse('I cannot sign in / log in')).toEqual(['login', 'login']);
    expect(analyse('resetting passwords')).toEqual(['reset', 'password']);
    expect(analyse('single sign-on')).toEqual(['sso']);
  });

  it('finds a typo and ignores the chatter around a question', () => {
    const hits = [
      kb('Reset your password', [{ text: 'Click Forgot password to reset it.' }]),
      kb('Invoices', [{ text: 'Download invoices from billing.' }]),
    ];
    const ranked = rankHits('hey guys sorry, quick q: how do i reset my pasword??', hits, 3);
    expect(ranked[0]?.title).toBe('Reset your password');
    expect(decideFound(ranked).found).toBe(true);
  });
});
