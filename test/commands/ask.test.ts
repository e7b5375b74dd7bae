import { describe, expect, it } from 'vitest';
import { answerJson } from '../../src/commands/ask.js';
import { makeNotFoundAnswer, makeRepliedAnswer } from '../slack/blocks/fixtures.js';

describe('deskhand ask --json', () => {
  it('prints found and a top-level reply with its text, method and numbered citations', () => {
    const json = JSON.parse(JSON.stringify(answerJson(makeRepliedAnswer())));
    expect(json.found).toBe(true);
    expect(json.reply).toMatchObject({
      text: expect.stringContaining('1. Open Settings → Security and choose Reset password. [1]'),
      method: 'extractive',
      citations: [
        {
          n: 1,
          title: 'Resetting your password',
          url: 'https://help.acme.example/password-reset',
          source: 'kb',
        },
        { n: 2, title: 'SSO and passwords', url: 'https://notion.example/sso', source: 'notion' },
      ],
    });
    expect(json.hits).toHaveLength(2);
  });

  it('prints reply: null when nothing was found', () => {
    const json = answerJson(makeNotFoundAnswer());
    expect(json).toMatchObject({ found: false, reply: null });
  });
});
