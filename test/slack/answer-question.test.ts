import type { WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { answerQuestion, questionTextOf } from '../../src/slack/answer-question.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { TooBusyError } from '../../src/support/support-service.js';

describe('the question in a Slack message', () => {
  it('drops the bot’s mention wherever it is, with or without a label', () => {
    expect(questionTextOf('<@U0DESKBOT> how do I reset my password?', 'U0DESKBOT')).toBe(
      'how do I reset my password?',
    );
    expect(questionTextOf('hey <@U0DESKBOT|deskhand>, is the API down?', 'U0DESKBOT')).toBe(
      'hey is the API down?',
    );
  });

  it('undoes Slack’s escaping and turns links and mentions into plain words', () => {
    expect(
      questionTextOf(
        'a &amp; b &lt;tag&gt; <https://acme.example/x|the docs> <https://acme.example/y> <@U0AGENT1> <#C0GENERAL|general> <!here>',
        'U0DESKBOT',
      ),
    ).toBe('a & b <tag> the docs (https://acme.example/x) https://acme.example/y @U0AGENT1 #general @here');
  });

  it('is empty for a message with nothing but the mention', () => {
    expect(questionTextOf('  <@U0DESKBOT>:  ', 'U0DESKBOT')).toBe('');
    expect(questionTextOf(undefined)).toBe('');
  });
});

describe('answering when deskhand is too busy', () => {
  it('tells the asker their question was saved and to ask again in a minute', async () => {
    const deps = {
      logger: createLogger({ level: 'silent' }),
      support: {
        prepare: (input: object) => ({ ...input, id: 'q-busy' }),
        checkRateLimit: async () => ({ allowed: true }),
        ask: async () => {
          throw new TooBusyError('too many questions are waiting to be answered');
        },
      },
    } as unknown as SlackDeps;
    const { card, answer } = await answerQuestion(deps, {} as WebClient, {
      text: 'How do I reset my password?',
      entryPoint: 'slash',
      askerId: 'U1',
    });
    expect(answer).toBeUndefined();
    expect(card.text).toContain('more questions than it can answer right now');
    expect(card.text).toContain('ask again in a minute');
  });
});
