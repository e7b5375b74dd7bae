import { describe, expect, it } from 'vitest';
import { answerCard } from '../../../src/slack/blocks/answer-card.js';
import type { ActionsBlock, CardMessage, KnownBlock, SectionBlock } from '../../../src/slack/blocks/types.js';
import {
  HOSTILE,
  makeAnswer,
  makeHit,
  makeLookup,
  makeNotFoundAnswer,
  makeQuestion,
  makeRepliedAnswer,
  QUESTION_ID,
} from './fixtures.js';
import { assertWithinBlockKitLimits } from './limits-checker.js';

function block<T extends KnownBlock>(message: CardMessage, blockId: string): T {
  const found = message.blocks.find((b) => b.block_id === blockId);
  if (!found) throw new Error(`no block ${blockId} in ${message.blocks.map((b) => b.block_id).join(', ')}`);
  return found as T;
}
const sectionText = (message: CardMessage, blockId: string) =>
  block<SectionBlock>(message, blockId).text?.text ?? '';
const contextText = (message: CardMessage, blockId: string) =>
  JSON.stringify(block(message, blockId)).replace(/^.*"text":"(.*)".*$/, '$1');

describe('answerCard with a written reply', () => {
  const card = answerCard(makeRepliedAnswer(), { ticketsEnabled: true });

  it('opens with the reply, then only the sources it cites, then at most two near misses', () => {
    expect(card.blocks.map((b) => b.block_id)).toEqual([
      'answer_question',
      'answer_reply',
      'answer_source_1',
      'answer_source_2',
      'answer_related',
      'answer_sources',
      'answer_actions',
    ]);
    assertWithinBlockKitLimits(card);
  });

  it('writes steps as a numbered list and each part with its citation linked to the source', () => {
    expect(sectionText(card, 'answer_reply')).toBe(
      '*Answer*\n' +
        '1. Open Settings → Security and choose Reset password. <https://help.acme.example/password-reset|[1]>\n' +
        '2. Use the link we email you within 30 minutes. <https://help.acme.example/password-reset|[1]>\n' +
        'With SSO, reset the password at your identity provider. <https://notion.example/sso|[2]>',
    );
  });

  it('numbers the cited sources as the reply does, with where each came from', () => {
    expect(sectionText(card, 'answer_source_1')).toBe(
      '[1] *<https://help.acme.example/password-reset|Resetting your password>* · _Knowledge base_',
    );
    expect(sectionText(card, 'answer_source_2')).toBe(
      '[2] *<https://notion.example/sso|SSO and passwords>* · _Notion_',
    );
  });

  it('labels the near misses "Might also help", two at most', () => {
    expect(contextText(card, 'answer_related')).toBe(
      '*Might also help:* <https://help.acme.example/2fa|Two-factor authentication> (Knowledge base)',
    );
    const many = answerCard(
      makeRepliedAnswer({
        related: [1, 2, 3, 4].map((i) => makeHit({ title: `Miss ${i}`, url: `https://x.example/${i}` })),
      }),
      { ticketsEnabled: true },
    );
    expect(contextText(many, 'answer_related').match(/Miss \d/g)).toEqual(['Miss 1', 'Miss 2']);
  });

  it('puts the reply in the fallback text', () => {
    expect(card.text).toMatch(/^Answer to “How do I reset my password\?”: 1\. Open Settings → Security/);
  });

  it('escapes the reply, and leaves out a part too long to show rather than cutting it', () => {
    const hostile = answerCard(
      makeRepliedAnswer({
        reply: {
          method: 'llm',
          text: HOSTILE,
          parts: [
            { kind: 'sentence', text: HOSTILE, cites: [1] },
            { kind: 'sentence', text: `${'very long '.repeat(100)}end.`, cites: [1] },
          ],
          citations: [{ n: 1, title: 'T', url: 'javascript:alert(1)', source: 'kb' }],
        },
      }),
      { ticketsEnabled: true },
    );
    const reply = sectionText(hostile, 'answer_reply');
    expect(reply).toBe(
      '*Answer*\n&lt;!channel&gt; &lt;!here&gt; ask &lt;@U1&gt; about Q&amp;A &lt;http://evil.example|click&gt; [1]',
    );
  });
});

describe('answerCard for an answer stored without a reply', () => {
  const card = answerCard(makeAnswer(), { ticketsEnabled: true });

  it('has stable blocks: question, three sources, sources searched, buttons', () => {
    expect(card.blocks.map((b) => b.block_id)).toEqual([
      'answer_question',
      'answer_source_1',
      'answer_source_2',
      'answer_source_3',
      'answer_sources',
      'answer_actions',
    ]);
    assertWithinBlockKitLimits(card);
  });

  it('quotes the question', () => {
    expect(sectionText(card, 'answer_question')).toBe('*You asked:*\n>How do I reset my password?');
  });

  it('shows each source with its linked title, where it came from, and the snippet', () => {
    expect(sectionText(card, 'answer_source_1')).toBe(
      '*<https://help.acme.example/password-reset|Resetting your password>*\n_Knowledge base_\n' +
        'Open Settings → Security and choose Reset password. We email you a link that works for 30 minutes.',
    );
    expect(sectionText(card, 'answer_source_2')).toContain('_Notion_');
    expect(sectionText(card, 'answer_source_3')).toMatch(/^\*Re: locked out\*\n_HelpScout_\n/);
  });

  it('names every source searched with its hit count, and how long it took', () => {
    expect(contextText(card, 'answer_sources')).toBe(
      'Searched ✓ Knowledge base (2) · ✓ Notion (1) · ✓ HelpScout (1) · in 1.2 s',
    );
  });

  it('has Solved, Not helpful and Create ticket buttons carrying only the question id', () => {
    const actions = block<ActionsBlock>(card, 'answer_actions');
    expect(actions.elements).toEqual([
      expect.objectContaining({
        action_id: 'answer_solved',
        value: QUESTION_ID,
        text: expect.objectContaining({ text: 'Solved' }),
      }),
      expect.objectContaining({
        action_id: 'answer_not_helpful',
        value: QUESTION_ID,
        text: expect.objectContaining({ text: 'Not helpful' }),
      }),
      expect.objectContaining({
        action_id: 'answer_create_ticket',
        value: QUESTION_ID,
        text: expect.objectContaining({ text: 'Create ticket' }),
      }),
    ]);
    expect(actions.elements.some((e) => 'style' in e && e.style)).toBe(false);
  });

  it('has a fallback text naming the question and the best source', () => {
    expect(card.text).toBe('Answer to “How do I reset my password?”: Resetting your password');
  });
});

describe('answerCard without a good answer', () => {
  const card = answerCard(makeNotFoundAnswer(), { ticketsEnabled: true });

  it('says so plainly, naming the sources searched, and shows no sources', () => {
    expect(sectionText(card, 'answer_not_found')).toBe(
      "*I don't know.* Nothing in Knowledge base, Notion and HelpScout answers this well enough for me to say.\n" +
        'Create a ticket and a person from support will follow up.',
    );
    expect(card.blocks.some((b) => b.block_id?.startsWith('answer_source_'))).toBe(false);
    assertWithinBlockKitLimits(card);
  });

  it('shows at most two "might help" links under the plain "I don\'t know"', () => {
    const withMisses = answerCard(
      {
        ...makeNotFoundAnswer(),
        related: [1, 2, 3].map((i) => makeHit({ title: `Miss ${i}`, url: `https://x.example/${i}` })),
      },
      { ticketsEnabled: true },
    );
    expect(withMisses.blocks.map((b) => b.block_id)).toEqual([
      'answer_question',
      'answer_not_found',
      'answer_related',
      'answer_sources',
      'answer_actions',
    ]);
    expect(contextText(withMisses, 'answer_related').match(/Miss \d/g)).toEqual(['Miss 1', 'Miss 2']);
  });

  it('makes Create ticket the primary button', () => {
    const ticket = block<ActionsBlock>(card, 'answer_actions').elements.find(
      (e) => e.action_id === 'answer_create_ticket',
    );
    expect(ticket).toMatchObject({ style: 'primary', value: QUESTION_ID });
  });

  it('names the sources that timed out or could not be reached', () => {
    expect(contextText(card, 'answer_sources')).toBe(
      'Searched ✓ Knowledge base (0) · ⚠ Notion timed out · ⚠ HelpScout unavailable · in 3.1 s',
    );
    expect(card.text).toBe(
      "I don't know the answer to “How do I reset my password?” — you can create a ticket.",
    );
  });
});

describe('answerCard details', () => {
  it('says a local ticket is filed when no ticket desk is configured, keeping the action id', () => {
    const card = answerCard(makeAnswer(), { ticketsEnabled: false });
    const ticket = block<ActionsBlock>(card, 'answer_actions').elements[2];
    expect(ticket).toMatchObject({
      action_id: 'answer_create_ticket',
      text: { text: 'Create ticket (saved locally)' },
    });
  });

  it('notes a shortened question', () => {
    const card = answerCard(
      makeAnswer({ question: makeQuestion({ text: 'Long question…', truncated: true }) }),
      {
        ticketsEnabled: true,
      },
    );
    expect(sectionText(card, 'answer_question')).toMatch(/\n_\(question shortened\)_$/);
  });

  it('names failed sources and an empty source list', () => {
    const failed = answerCard(
      makeAnswer({
        lookups: [makeLookup({ source: 'notion', label: 'Notion', status: 'error', hits: [] })],
        tookMs: 80,
      }),
      { ticketsEnabled: true },
    );
    expect(contextText(failed, 'answer_sources')).toBe('Searched ⚠ Notion failed · in 80 ms');
    const none = answerCard(makeAnswer({ lookups: [], hits: [], found: false }), { ticketsEnabled: true });
    expect(contextText(none, 'answer_sources')).toContain('No sources were searched');
    expect(sectionText(none, 'answer_not_found')).toMatch(/^\*I don't know\.\* Nothing answers this/);
  });

  it('keeps source names, titles and snippets on one line', () => {
    const card = answerCard(
      makeAnswer({
        hits: [makeHit({ title: 'Reset\n\nyour password', snippet: 'line one\nline two' })],
        lookups: [makeLookup({ label: 'Knowledge\nbase' })],
      }),
      { ticketsEnabled: true },
    );
    expect(sectionText(card, 'answer_source_1')).toBe(
      '*<https://help.acme.example/password-reset|Reset your password>*\n_Knowledge base_\nline one line two',
    );
    expect(contextText(card, 'answer_sources')).toMatch(/^Searched ✓ Knowledge base \(1\)/);
  });

  it('links only http(s) URLs', () => {
    const card = answerCard(
      makeAnswer({ hits: [makeHit({ url: 'javascript:alert(1)', title: 'Sneaky' })] }),
      {
        ticketsEnabled: true,
      },
    );
    expect(sectionText(card, 'answer_source_1')).toMatch(/^\*Sneaky\*\n/);
    expect(JSON.stringify(card)).not.toContain('javascript:');
  });
});

describe('answerCard escaping', () => {
  const answer = makeAnswer({
    question: makeQuestion({ text: HOSTILE }),
    hits: [makeHit({ title: HOSTILE, snippet: HOSTILE, url: 'https://help.example/a' })],
    lookups: [makeLookup({ label: `KB ${HOSTILE}` })],
  });
  const card = answerCard(answer, { ticketsEnabled: true });
  const json = JSON.stringify(card);

  it('lets no mention or link from the question, titles, snippets or labels through', () => {
    for (const raw of ['<!channel>', '<!here>', '<@U1>', '<http://evil.example|click>', 'Q&A']) {
      expect(json).not.toContain(raw);
    }
    // The only raw link is the one deskhand made from the hit's URL.
    const links = [...json.matchAll(/<([^<>]*)>/g)].map((m) => m[1]);
    expect(links).toEqual([
      'https://help.example/a|&lt;!channel&gt; &lt;!here&gt; ask &lt;@U1&gt; about Q&amp;A &lt;http://evil.example¦click&gt;',
    ]);
  });

  it('shows the escaped text in the question, the snippet and the fallback text', () => {
    const escaped =
      '&lt;!channel&gt; &lt;!here&gt; ask &lt;@U1&gt; about Q&amp;A &lt;http://evil.example|click&gt;';
    expect(sectionText(card, 'answer_question')).toContain(escaped);
    expect(sectionText(card, 'answer_source_1')).toContain(escaped);
    expect(card.text).toContain(escaped);
  });
});
