import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  httpUrl,
  link,
  quote,
  unescapeMrkdwn,
  userText,
} from '../../../src/slack/blocks/mrkdwn.js';
import { HOSTILE } from './fixtures.js';

describe('escapeMrkdwn', () => {
  it('turns &, < and > into entities so no mention or link survives', () => {
    expect(escapeMrkdwn(HOSTILE)).toBe(
      '&lt;!channel&gt; &lt;!here&gt; ask &lt;@U1&gt; about Q&amp;A &lt;http://evil.example|click&gt;',
    );
  });

  it('escapes an already-escaped entity again, so a typed "&lt;" is shown as typed', () => {
    expect(escapeMrkdwn('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
    expect(unescapeMrkdwn(escapeMrkdwn('&lt;b&gt; <x> & y'))).toBe('&lt;b&gt; <x> & y');
  });
});

describe('userText', () => {
  it('escapes, trims and cuts to the limit without leaving half an entity', () => {
    const shown = userText(`  ${'word '.repeat(10)}<<<<<<<<`, 60);
    expect(shown.length).toBeLessThanOrEqual(60);
    expect(shown).not.toMatch(/&[a-z]*…$/);
    expect(shown).not.toContain('<');
  });
});

describe('link', () => {
  it('builds <url|label> with the label escaped', () => {
    expect(link('https://help.example/a?b=1&c=2', 'Q&A <!channel>')).toBe(
      '<https://help.example/a?b=1&c=2|Q&amp;A &lt;!channel&gt;>',
    );
  });

  it('keeps | and > in a label from ending the link', () => {
    const made = link('https://x.example/', 'a|b>c');
    expect(made).toBe('<https://x.example/|a¦b&gt;c>');
    expect(made.match(/\|/g)).toHaveLength(1);
  });

  it('percent-encodes |, < and > in the URL', () => {
    expect(link('https://x.example/a|b>c<d', 'ok')).toBe('<https://x.example/a%7Cb%3Ec%3Cd|ok>');
  });

  it('accepts only http(s) URLs; anything else is just the escaped label', () => {
    expect(link('javascript:alert(1)', 'click')).toBe('click');
    expect(link('slack://channel?id=C1', 'x')).toBe('x');
    expect(link('@U1', '<@U1>')).toBe('&lt;@U1&gt;');
    expect(link(undefined, 'plain')).toBe('plain');
    expect(link('not a url', 'plain')).toBe('plain');
    expect(httpUrl('HTTPS://Example.com/x')).toBe('https://example.com/x');
  });

  it('drops URLs too long to show and cuts long labels', () => {
    expect(link(`https://x.example/${'a'.repeat(2000)}`, 'title')).toBe('title');
    expect(link('https://x.example/', 't'.repeat(500), 50).length).toBeLessThan(50 + 25);
  });
});

describe('quote', () => {
  it('starts every line with > and squeezes runs of blank lines', () => {
    expect(quote('one\ntwo\n\n\n\nthree')).toBe('>one\n>two\n>\n>three');
  });
});
