import type { Answer, KnowledgeHit, Question, RankedHit, SourceLookup } from '../../../src/support/types.js';

// Domain objects for the card builder tests: ordinary ones, and the hostile strings users can type.

export const QUESTION_ID = '6f1c2b1e-8d4a-4a57-9a55-0c1f1d2e3f40';

/** Text that would ping everyone, mention someone, or smuggle a link if it reached Slack unescaped. */
export const HOSTILE = '<!channel> <!here> ask <@U1> about Q&A <http://evil.example|click>';

export function makeQuestion(overrides: Partial<Question> = {}): Question {
  return {
    id: QUESTION_ID,
    text: 'How do I reset my password?',
    truncated: false,
    fingerprint: 'password reset',
    entryPoint: 'slash',
    askerId: 'U0ASKER',
    channelId: 'C0GENERAL',
    channelKind: 'public',
    triage: { urgency: 'normal', category: 'account', matched: [] },
    createdAt: new Date('2026-05-04T09:30:00Z'),
    ...overrides,
  };
}

export function makeHit(overrides: Partial<RankedHit> = {}): RankedHit {
  return {
    source: 'kb',
    title: 'Resetting your password',
    snippet:
      'Open Settings → Security and choose Reset password. We email you a link that works for 30 minutes.',
    url: 'https://help.acme.example/password-reset',
    score: 12.5,
    relevance: 0.92,
    ...overrides,
  };
}

export function makeLookup(overrides: Partial<SourceLookup> = {}): SourceLookup {
  const hits: KnowledgeHit[] = overrides.hits ?? [makeHit()];
  return { source: 'kb', label: 'Knowledge base', status: 'ok', hits, latencyMs: 120, ...overrides };
}

export function makeAnswer(overrides: Partial<Answer> = {}): Answer {
  const hits = overrides.hits ?? [
    makeHit(),
    makeHit({
      source: 'notion',
      title: 'SSO and passwords',
      url: 'https://notion.example/sso',
      snippet: 'With SSO, reset the password at your identity provider.',
      relevance: 0.7,
    }),
    makeHit({
      source: 'helpscout',
      title: 'Re: locked out',
      url: undefined,
      snippet: 'We unlocked the account.',
    }),
    makeHit({ title: 'A fourth source', relevance: 0.3 }),
  ];
  return {
    question: makeQuestion(),
    hits,
    lookups: [
      makeLookup({ hits: [hits[0] as KnowledgeHit, hits[3] as KnowledgeHit] }),
      makeLookup({ source: 'notion', label: 'Notion', hits: [hits[1] as KnowledgeHit] }),
      makeLookup({ source: 'helpscout', label: 'HelpScout', hits: [hits[2] as KnowledgeHit] }),
    ],
    found: true,
    tookMs: 1234,
    ...overrides,
  };
}

/**
 * An answer with a written reply: two steps from the kb article [1] and a sentence from Notion [2],
 * and one near miss under "Might also help".
 */
export function makeRepliedAnswer(overrides: Partial<Answer> = {}): Answer {
  const kb = makeHit();
  const notion = makeHit({
    source: 'notion',
    title: 'SSO and passwords',
    url: 'https://notion.example/sso',
    snippet: 'With SSO, reset the password at your identity provider.',
    relevance: 0.7,
  });
  const nearMiss = makeHit({
    title: 'Two-factor authentication',
    url: 'https://help.acme.example/2fa',
    relevance: 0.4,
  });
  return makeAnswer({
    hits: [kb, notion],
    related: [nearMiss],
    reply: {
      method: 'extractive',
      text: '1. Open Settings → Security and choose Reset password. [1]\n2. Use the link we email you within 30 minutes. [1]\nWith SSO, reset the password at your identity provider. [2]',
      parts: [
        { kind: 'step', text: 'Open Settings → Security and choose Reset password.', cites: [1] },
        { kind: 'step', text: 'Use the link we email you within 30 minutes.', cites: [1] },
        { kind: 'sentence', text: 'With SSO, reset the password at your identity provider.', cites: [2] },
      ],
      citations: [
        { n: 1, title: kb.title, url: kb.url, source: 'kb' },
        { n: 2, title: notion.title, url: notion.url, source: 'notion' },
      ],
    },
    lookups: [
      makeLookup({ hits: [kb, nearMiss] }),
      makeLookup({ source: 'notion', label: 'Notion', hits: [notion] }),
    ],
    ...overrides,
  });
}

/** An answer nothing good was found for: Notion timed out and HelpScout could not be reached. */
export function makeNotFoundAnswer(): Answer {
  return makeAnswer({
    hits: [],
    found: false,
    tookMs: 3050,
    lookups: [
      makeLookup({ hits: [] }),
      makeLookup({
        source: 'notion',
        label: 'Notion',
        status: 'timeout',
        hits: [],
        error: 'deadline exceeded',
      }),
      makeLookup({ source: 'helpscout', label: 'HelpScout', status: 'unavailable', hits: [] }),
    ],
  });
}

/** Every string as long and as hostile as it can be: 10k question, 200-char titles, 5k snippets, 100 sources, 50 hits. */
export function makeOversizedAnswer(seed = 1): Answer {
  const random = seededRandom(seed);
  const text = (length: number) => randomText(random, length);
  const sources = Array.from({ length: 100 }, (_, i) => ({
    source: `source-${i}-${text(30)}`,
    label: `${text(200)} ${HOSTILE}`,
  }));
  const hits: RankedHit[] = Array.from({ length: 50 }, (_, i) => {
    const source = sources[i % sources.length] as { source: string };
    return {
      source: source.source,
      title: `${HOSTILE} ${text(200)}`.slice(0, 200 + i),
      snippet: `${text(5000)} ${HOSTILE}`,
      url:
        i % 3 === 0
          ? `https://docs.example/${'a|b>c<d '.repeat(400)}`
          : i % 3 === 1
            ? 'javascript:alert(1)'
            : undefined,
      score: random(),
      relevance: random(),
    };
  });
  const statuses = ['ok', 'timeout', 'unavailable', 'error'] as const;
  return {
    question: makeQuestion({
      text: `${HOSTILE}\n${text(10_000)}\n\n\n\n${'>\n'.repeat(500)}`,
      truncated: true,
      askerId: 'U0ASKER',
      triage: {
        urgency: 'high',
        category: text(500),
        matched: Array.from({ length: 40 }, () => `${text(100)} ${HOSTILE}`),
      },
      permalink: `https://acme.slack.com/archives/C1/p1${'9'.repeat(3000)}`,
    }),
    hits,
    lookups: sources.map((source, i) => ({
      ...source,
      status: statuses[i % statuses.length] as (typeof statuses)[number],
      hits: hits.filter((hit) => hit.source === source.source),
      latencyMs: 30_000,
      error: text(3000),
    })),
    found: true,
    related: hits.slice(3, 10),
    reply: {
      method: 'llm',
      text: text(9000),
      parts: Array.from({ length: 40 }, (_, i) => ({
        kind: i % 2 ? ('step' as const) : ('sentence' as const),
        text: `${HOSTILE} ${text(i % 5 === 0 ? 2000 : 300)}`,
        cites: [1 + (i % 3), 99],
      })),
      citations: hits
        .slice(0, 3)
        .map((hit, i) => ({ n: i + 1, title: hit.title, url: hit.url, source: hit.source })),
    },
    tookMs: 987_654_321,
  };
}

/** A small deterministic PRNG (mulberry32), so a failing case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyz     ',
  '&',
  '<',
  '>',
  '|',
  '*',
  '_',
  '\n',
  '😀',
  'é',
  '<!channel>',
  '&amp;',
  '`',
];

/** `length` characters (UTF-16 code units, roughly) of text heavy in mrkdwn's special characters. */
export function randomText(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return out;
}
