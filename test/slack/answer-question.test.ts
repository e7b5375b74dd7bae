import { describe, expect, it } from 'vitest';
import { questionTextOf } from '../../src/slack/answer-question.js';

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
