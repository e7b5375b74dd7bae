import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/playground/emulator/index.js';
import { slackTextOf } from '../../src/playground/typed-text.js';

const workspace = new Workspace();
const directory = { users: workspace.users(), channels: workspace.channels() };

describe('what the playground sends for typed text, as Slack’s client does', () => {
  it('escapes &, < and > so typed text is never read as a Slack token', () => {
    expect(slackTextOf('a < b & <!channel> <https://evil.example|x>', directory)).toBe(
      'a &lt; b &amp; &lt;!channel&gt; &lt;https://evil.example|x&gt;',
    );
  });

  it('turns @name, @channel and #channel into tokens when they exist', () => {
    expect(slackTextOf('@deskhand, ask @sam in #support-alerts (cc @here)', directory)).toBe(
      '<@U0DESKBOT>, ask <@U0AGENT1> in <#C0SUPPORT|support-alerts> (cc <!here>)',
    );
  });

  it('leaves unknown names, e-mail addresses and a trailing full stop as typed', () => {
    expect(slackTextOf('mail alex@example.com or @nobody in #nowhere, thanks @sam.', directory)).toBe(
      'mail alex@example.com or @nobody in #nowhere, thanks <@U0AGENT1>.',
    );
  });
});
