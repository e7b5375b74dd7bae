import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REGISTERED } from '../src/slack/listeners/index.js';
import { manifestBotScopes } from '../src/slack/manifest-scopes.js';

const ROOT = join(import.meta.dirname, '..');
const manifestText = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');

interface Manifest {
  features: {
    app_home?: { messages_tab_enabled?: boolean; messages_tab_read_only_enabled?: boolean };
    slash_commands?: { command: string; url: string }[];
    shortcuts?: { callback_id: string; type: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
}
const manifest = parse(manifestText) as Manifest;

/** The bot scopes each Web API method needs (https://api.slack.com/methods). Add a method here when the code starts calling it. */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.delete': ['chat:write'],
  'chat.getPermalink': [],
  // deskhand reads the profile's email from it, for tickets.
  'users.info': ['users:read', 'users:read.email'],
  'users.lookupByEmail': ['users:read.email'],
  // Any kind of conversation may be asked about: public, private, DM, group DM.
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.open': ['im:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  'reactions.add': ['reactions:write'],
  // Responders of a support channel named as a user group.
  'usergroups.users.list': ['usergroups:read'],
};

/** The scope each bot event subscription needs. */
const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  reaction_added: ['reactions:read'],
  reaction_removed: ['reactions:read'],
  app_home_opened: [],
  app_uninstalled: [],
  tokens_revoked: [],
};

/** Scopes no single method requires, kept on purpose; each says why. */
const DELIBERATE_SCOPES: Record<string, string> = {
  'chat:write.public':
    'alerts and digests are posted to ALERT_CHANNEL / DIGEST_CHANNEL even when no one invited deskhand there',
};

const WEB_API_FAMILIES =
  'admin|apps|auth|bookmarks|chat|conversations|dnd|emoji|files|pins|reactions|reminders|search|team|usergroups|users|views';
// A WebClient is named `client` throughout (Bolt's listener argument, `app.client`, `this.client()`).
// Methods may have a sub-namespace (`usergroups.users.list`).
const METHOD_CALL = new RegExp(
  `\\bclient(?:\\(\\))?\\??\\.(${WEB_API_FAMILIES})\\.((?:[a-zA-Z]+\\.)?[a-zA-Z]+)\\(`,
  'g',
);
const API_CALL = /\.apiCall\(\s*['"]([a-z]+\.[a-zA-Z.]+)['"]/g;

/** Every Web API method deskhand's code calls, with the files calling it (the emulator serves them, so it is left out). */
function webApiMethodsCalled(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (relative(ROOT, path) !== join('src', 'playground')) visit(path);
        continue;
      }
      if (!name.endsWith('.ts')) continue;
      const text = readFileSync(path, 'utf8');
      const methods = [
        ...[...text.matchAll(METHOD_CALL)].map((match) => `${match[1]}.${match[2]}`),
        ...[...text.matchAll(API_CALL)].map((match) => match[1] as string),
      ];
      for (const method of methods) found.set(method, [...(found.get(method) ?? []), relative(ROOT, path)]);
    }
  };
  visit(join(ROOT, 'src'));
  return found;
}

const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].sort();

describe('manifest.yml and the code agree', () => {
  it('declares exactly the slash commands the code registers, all on /slack/events', () => {
    const commands = manifest.features.slash_commands ?? [];
    expect(sorted(commands.map((command) => command.command))).toEqual(sorted(REGISTERED.commands));
    for (const command of commands) expect(new URL(command.url).pathname).toBe('/slack/events');
  });

  it('declares exactly the shortcuts the code registers, ask_support on messages', () => {
    const shortcuts = manifest.features.shortcuts ?? [];
    expect(sorted(shortcuts.map((shortcut) => shortcut.callback_id))).toEqual(sorted(REGISTERED.shortcuts));
    expect(shortcuts.find((shortcut) => shortcut.callback_id === 'ask_support')?.type).toBe('message');
  });

  it('subscribes to exactly the bot events the code listens to', () => {
    const events = manifest.settings.event_subscriptions;
    expect(sorted(events?.bot_events)).toEqual(sorted(REGISTERED.events));
    if (REGISTERED.events.length > 0)
      expect(new URL(events?.request_url ?? '').pathname).toBe('/slack/events');
    if (REGISTERED.events.includes('message.im')) {
      // Without a writable Messages tab no one can DM the app, and message.im never fires.
      expect(manifest.features.app_home).toMatchObject({
        messages_tab_enabled: true,
        messages_tab_read_only_enabled: false,
      });
    }
  });

  it('turns interactivity on exactly when there are buttons, modals or shortcuts to handle', () => {
    const interactive = REGISTERED.actions.length + REGISTERED.views.length + REGISTERED.shortcuts.length > 0;
    expect(manifest.settings.interactivity?.is_enabled ?? false).toBe(interactive);
    if (interactive)
      expect(new URL(manifest.settings.interactivity?.request_url ?? '').pathname).toBe('/slack/events');
    expect(REGISTERED.actions).toContain('alert_take');
  });

  it('offers Socket Mode as an option, off by default, and says how to turn it on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifestText).toMatch(/#.*SLACK_APP_TOKEN/);
  });

  it('asks for every scope the code needs and no other', () => {
    const called = webApiMethodsCalled();
    expect([...called.keys()]).toEqual(
      expect.arrayContaining([
        'chat.postMessage',
        'chat.update',
        'chat.getPermalink',
        'conversations.info',
        'users.info',
      ]),
    );
    const unknown = [...called.keys()].filter((method) => !(method in METHOD_SCOPES));
    expect(unknown, `add these methods and their scopes to METHOD_SCOPES: ${unknown.join(', ')}`).toEqual([]);

    const needed = new Map<string, string>();
    for (const method of called.keys())
      for (const scope of METHOD_SCOPES[method] ?? [])
        needed.set(scope, `${method} (${called.get(method)?.[0]})`);
    for (const event of REGISTERED.events)
      for (const scope of EVENT_SCOPES[event] ?? []) needed.set(scope, `the ${event} event`);
    if (REGISTERED.commands.length + REGISTERED.shortcuts.length > 0)
      needed.set('commands', 'commands and shortcuts');

    const declared = new Set(manifest.oauth_config.scopes.bot);
    const missing = [...needed]
      .filter(([scope]) => !declared.has(scope))
      .map(([scope, why]) => `${scope} for ${why}`);
    expect(missing, 'scopes the code needs but manifest.yml lacks').toEqual([]);
    const unneeded = [...declared].filter((scope) => !needed.has(scope) && !(scope in DELIBERATE_SCOPES));
    expect(unneeded, 'scopes manifest.yml asks for but no code needs').toEqual([]);
    expect(manifest.oauth_config.scopes.bot.length).toBe(declared.size);
  });

  it('is where the OAuth install reads its scopes, and sends installers back to /slack/oauth_redirect', () => {
    expect(manifestBotScopes()).toEqual(manifest.oauth_config.scopes.bot);
    const redirects = (manifest.oauth_config as { redirect_urls?: string[] }).redirect_urls ?? [];
    expect(redirects.map((url) => new URL(url).pathname)).toEqual(['/slack/oauth_redirect']);
    // An uninstalled or revoked workspace must be forgotten: these events remove its installation.
    expect(manifest.settings.event_subscriptions?.bot_events).toEqual(
      expect.arrayContaining(['app_uninstalled', 'tokens_revoked']),
    );
  });

  it('knows the events it maps to scopes', () => {
    for (const event of REGISTERED.events) expect(Object.keys(EVENT_SCOPES)).toContain(event);
  });
});
