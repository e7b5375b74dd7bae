import { describe, expect, it } from 'vitest';
import { decideFound, rankHits } from '../../src/support/ranking.js';
import type { KnowledgeHit, Passage } from '../../src/support/types.js';

/** A kb-like article: sections as passages, the source's own score. */
const article = (title: string, score: number, passages: Passage[], source = 'kb'): KnowledgeHit => ({
  source,
  title,
  snippet: passages[0]?.text ?? '',
  score,
  url: `https://help.example/${encodeURIComponent(title)}`,
  path: `${title}.md`,
  passages,
});

const KNOWLEDGE: KnowledgeHit[] = [
  article('Reset your password', 4.1, [
    { text: 'If you forgot your password, you can reset it yourself.' },
    {
      heading: 'Reset it from the sign-in page',
      text: '1. Open the sign-in page and click Forgot password.\n2. Enter your email address.\n3. Follow the link in the email within 60 minutes.',
    },
  ]),
  article('Invoices and receipts', 2.2, [
    { text: 'Owners and billing admins can download every invoice from Settings > Billing.' },
    { heading: 'Change the billing email', text: 'Invoices are sent to the billing email address.' },
  ]),
  article('Seats and licences', 1.8, [
    { text: 'Every member of the workspace uses a seat on your plan. Guests do not use a seat.' },
    { heading: 'Add seats', text: 'Owners add seats from Settings > Billing; the plan is prorated.' },
  ]),
];

const decide = (question: string, hits: KnowledgeHit[] = KNOWLEDGE) =>
  decideFound(rankHits(question, hits, 6), question);

describe('the found decision', () => {
  it('finds the article that answers the question', () => {
    const decision = decide('how do i reset my password');
    expect(decision.found).toBe(true);
    expect(decision.features.unknown).toBe(0);
  });

  it('does not find an answer about a subject the knowledge never mentions', () => {
    const decision = decide('can we pay our invoices with bitcoin');
    expect(decision.features.unknown).toBeGreaterThanOrEqual(0.5);
    expect(decision.found).toBe(false);
  });

  it('still finds the answer under chatty wording', () => {
    const chatty = 'hey team, quick one: ok dumb question but how do i reset my password?? thanks!!';
    const decision = decide(chatty);
    expect(decision.found).toBe(true);
    expect(decision.features.unknown).toBe(0);
    expect(rankHits(chatty, KNOWLEDGE, 6)[0]?.title).toBe('Reset your password');
  });

  it('does not find an answer to "how much" when the article holding the subject gives no number', () => {
    expect(decide('how much is a seat').found).toBe(false);
    const priced = [
      article('Seats and licences', 1.8, [{ text: 'A seat costs $12 a month on every plan.' }]),
      ...KNOWLEDGE.slice(0, 2),
    ];
    expect(decide('how much is a seat', priced).found).toBe(true);
  });

  it('finds an answer two sources agree on, where one source alone with a rival would not', () => {
    const question = 'how do we change the billing email for invoices';
    const rival = article('Change your email address', 2.1, [
      { text: 'To change the email address you sign in with, open Profile > Email.' },
    ]);
    const alone = decide(question, [KNOWLEDGE[1] as KnowledgeHit, rival]);
    expect(alone.agreement).toBe(false);
    const notion = article(
      'Billing runbook',
      0.4,
      [{ text: 'Customers change the billing email for invoices under Settings > Billing.' }],
      'notion',
    );
    const agreed = decide(question, [KNOWLEDGE[1] as KnowledgeHit, rival, notion]);
    expect(agreed.agreement).toBe(true);
    expect(agreed.found).toBe(true);
  });

  describe('the subject named where a section says what it is about (headed)', () => {
    const notes = article('Notification settings', 1.2, [
      { text: 'Choose which events send you an email or a push notification.' },
    ]);
    const searchTips = (heading: string) =>
      article('Search tips', 3.5, [
        { heading: 'Search operators', text: 'Put a phrase in quotes to find those words together.' },
        { heading, text: 'Archived projects are left out of results unless you tick Include archived.' },
      ]);

    it('does not find an answer whose words a hit only mentions in passing, under headings about something else', () => {
      const decision = decide('how do i archive a project', [searchTips('What search does not find'), notes]);
      expect(decision.features.relevance).toBeGreaterThanOrEqual(0.5);
      expect(decision.features.unknown).toBe(0);
      expect(decision.features.headed).toBe(0);
      expect(decision.found).toBe(false);
    });

    it('finds the same words when a section heading names the subject', () => {
      const decision = decide('how do i archive a project', [searchTips('Archived projects'), notes]);
      expect(decision.features.headed).toBeGreaterThan(0.5);
      expect(decision.found).toBe(true);
    });

    it("counts a list item's lead as a heading", () => {
      const domains = (item: string) =>
        article('Custom domains', 2.4, [
          { text: 'Serve your public pages from your own domain with a CNAME record.' },
          { heading: 'Troubleshooting', text: `- ${item}\n- The record must point to pages.acme.example.` },
        ]);
      const question = 'cloudflare proxy and the certificate is never issued';
      const lead = decide(question, [
        domains('**Cloudflare**: turn the proxy off until the certificate is issued.'),
        notes,
      ]);
      expect(lead.features.headed).toBeGreaterThan(0);
      expect(lead.found).toBe(true);
      const inPassing = decide(question, [
        domains('If you use Cloudflare, turn the proxy off until the certificate is issued.'),
        notes,
      ]);
      expect(inPassing.features.headed).toBe(0);
      expect(inPassing.found).toBe(false);
    });
  });

  describe('what the question asks, apart from the context around it (question focus)', () => {
    it('counts a word no source holds like a weak word when the question names it only as context', () => {
      const context = decide('i lost my laptop yesterday, how do i reset my password');
      const inTheQuestion = decide('how do i reset my password on the laptop i lost yesterday');
      expect(context.found).toBe(true);
      expect(context.features.relevance).toBeGreaterThan(inTheQuestion.features.relevance + 0.1);
    });

    const zapier = article('Connect Zapier', 5, [
      { text: 'Zaps create a task in Acme for every new row in a sheet.' },
      { heading: 'Zap triggers', text: 'A zap runs twice when two zaps share one trigger.' },
    ]);

    it('does not find an answer that holds the context but nothing of what the asking clause names', () => {
      const decision = decide('our zap creates every task twice, how do we stop the duplicates', [
        zapier,
        ...KNOWLEDGE,
      ]);
      expect(decision.features.relevance).toBeGreaterThanOrEqual(0.5);
      expect(decision.features.asked).toBe(0);
      expect(decision.found).toBe(false);
    });

    it('takes the subject from the context when the asking clause points back at it', () => {
      const decision = decide('our zap creates every task twice, how should we handle them', [
        zapier,
        ...KNOWLEDGE,
      ]);
      expect(decision.features.asked).toBe(1);
      expect(decision.found).toBe(true);
    });

    it('does not count a hit holding only context words as answering something else', () => {
      const hits = [
        article('Free trial', 3, [
          { text: 'Every workspace starts with a 14-day free trial of the Business plan.' },
        ]),
        article('Budgets', 2.5, [{ text: 'Finance admins set a budget for each project.' }]),
      ];
      const context = decide('is there a free trial? finance wants a budget first', hits);
      expect(context.features.rivalMargin).toBe(context.features.relevance);
      expect(context.found).toBe(true);
      const asked = decide('is there a free trial for finance budgets', hits);
      expect(asked.features.rivalMargin).toBeLessThan(0.15);
      expect(asked.found).toBe(false);
    });
  });

  it('finds the number a "how long" question asks for in the sentence next to the one naming its subject', () => {
    const question = 'how long do i have to respond to a webhook before it counts as failed';
    const webhooks = (passages: Passage[]) => [article('Webhooks', 3, passages), ...KNOWLEDGE.slice(1)];
    const next = decide(
      question,
      webhooks([
        {
          heading: 'Respond quickly',
          text: 'Your endpoint must respond before the delivery counts as failed. Return any 2xx status within 10 seconds.',
        },
      ]),
    );
    expect(next.features.answerType).toBe(1);
    expect(next.found).toBe(true);
    const elsewhere = decide(
      question,
      webhooks([
        {
          heading: 'Respond quickly',
          text: 'Your endpoint must respond before the delivery counts as failed.',
        },
        { heading: 'Retries', text: 'Return any 2xx status within 10 seconds.' },
      ]),
    );
    expect(elsewhere.features.answerType).toBe(0);
    expect(elsewhere.found).toBe(false);
  });

  it('keeps the scores of different sources on one scale', () => {
    const helpscout = article(
      'Re: password reset email never arrives',
      250,
      [{ text: 'Check the spam folder, then reset your password again from the sign-in page.' }],
      'helpscout',
    );
    const ranked = rankHits('password reset email never arrives', [...KNOWLEDGE, helpscout], 6);
    expect(ranked[0]?.source).toBe('helpscout');
    for (const hit of ranked) expect(hit.relevance).toBeLessThanOrEqual(1);
  });
});
