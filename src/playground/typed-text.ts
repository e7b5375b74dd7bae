import type { EmulatedChannel, EmulatedUser } from './emulator/index.js';

export interface TypedTextDirectory {
  users: readonly EmulatedUser[];
  channels: readonly EmulatedChannel[];
}

/**
 * What Slack's client sends for a message a person typed: `&`, `<` and `>` escaped, and
 * `@name`, `@channel`/`@here`/`@everyone` and `#channel` turned into Slack's `<@U…>`, `<!channel>`
 * and `<#C…|name>` tokens when they name someone or something in the workspace.
 */
export function slackTextOf(typed: string, directory: TypedTextDirectory): string {
  const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(
    /(^|[\s(])([@#])([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)/gi,
    (whole, before: string, sigil: string, name: string) => {
      const token = sigil === '@' ? userToken(name, directory) : channelToken(name, directory);
      return token ? `${before}${token}` : whole;
    },
  );
}

function userToken(name: string, directory: TypedTextDirectory): string | undefined {
  const lower = name.toLowerCase();
  if (lower === 'channel' || lower === 'here' || lower === 'everyone') return `<!${lower}>`;
  const user = directory.users.find((candidate) => candidate.name.toLowerCase() === lower);
  return user ? `<@${user.id}>` : undefined;
}

function channelToken(name: string, directory: TypedTextDirectory): string | undefined {
  const lower = name.toLowerCase();
  const channel = directory.channels.find(
    (candidate) => candidate.kind !== 'im' && candidate.name.toLowerCase() === lower,
  );
  return channel ? `<#${channel.id}|${channel.name}>` : undefined;
}
