import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import { type Route, sendJson } from '../http/server.js';
import {
  BOT_DM_CHANNEL_ID,
  BOT_USER_ID,
  DEFAULT_USER_ID,
  type EmulatedMessage,
  HELP_CHANNEL_ID,
  SLACKBOT_USER_ID,
  SlackEmulator,
  SUPPORT_ALERTS_CHANNEL_ID,
  SUPPORT_DIGEST_CHANNEL_ID,
  Workspace,
} from './emulator/index.js';
import { slackTextOf } from './typed-text.js';

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
const STATIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/playground/app.js': 'app.js',
  '/playground/blocks.js': 'blocks.js',
  '/playground/styles.css': 'styles.css',
};
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const MAX_BODY = 64 * 1024;

export const PLAYGROUND_ALERT_CHANNEL = SUPPORT_ALERTS_CHANNEL_ID;
export const PLAYGROUND_DIGEST_CHANNEL = SUPPORT_DIGEST_CHANNEL_ID;
/** `#help`: the playground's support channel, where every new message is a request. */
export const PLAYGROUND_SUPPORT_CHANNEL = HELP_CHANNEL_ID;

/** SUPPORT_CHANNELS in the playground: each id must be one of its channels (the ConfigError names the first that is not). */
export function playgroundChannelCheck(channels: readonly string[]): void {
  const workspace = new Workspace();
  for (const id of channels) {
    const channel = workspace.channel(id);
    if (!channel || channel.kind === 'im')
      throw new ConfigError(
        `SUPPORT_CHANNELS names ${id}, which is not a channel of the playground (try ${HELP_CHANNEL_ID}, #help)`,
      );
  }
}

/** The local playground: an in-process Slack and the page that shows it, both on deskhand's own port. */
export interface Playground {
  emulator: SlackEmulator;
  botToken: string;
  signingSecret: string;
  routes: Route[];
  /** Tells the emulator where deskhand listens, once it does. */
  attach(url: string): void;
  close(): void;
}

/**
 * Builds the playground. deskhand's listeners receive exactly what Slack would send (the
 * emulator's signed requests), so nothing in the workflow knows it runs in a playground.
 *
 * Routes: the page at `/` and `/playground/{app.js,blocks.js,styles.css}`; `GET /playground/events`
 * (a server-sent event per workspace change); `GET /playground/api/state?user=` (what that person
 * sees); `POST /playground/api/{send,click,submit-view,close-view,shortcut,react}` (what they do); and the
 * emulator's Web API and response URLs under `/slack-emulator/`.
 */
export function createPlayground(logger: Logger): Playground {
  const botToken = 'xoxb-playground';
  const signingSecret = randomBytes(24).toString('hex');
  // Like Slack for an app subscribed to message.channels, the bot's own posts come back to it as events.
  const emulator = new SlackEmulator({
    botToken,
    signingSecret,
    basePath: '/slack-emulator',
    echoBotMessages: true,
  });
  const clients = new Set<ServerResponse>();
  const heartbeat = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n');
  }, 15_000);
  heartbeat.unref();
  emulator.workspace.changes.on('change', (change) => {
    const data = JSON.stringify({ type: change.type });
    for (const client of clients) client.write(`data: ${data}\n\n`);
  });

  const emulatorRoute = (req: IncomingMessage, res: ServerResponse) =>
    emulator.handle(req, res).then((handled) => {
      if (!handled) sendJson(res, 404, { ok: false, error: 'unknown_method' });
    });

  const routes: Route[] = [
    { method: 'POST', path: '/slack-emulator/*', handler: emulatorRoute },
    { method: 'GET', path: '/slack-emulator/*', handler: emulatorRoute },
    ...Object.entries(STATIC_FILES).map(([path, file]) => ({
      method: 'GET' as const,
      path,
      handler: (_req: IncomingMessage, res: ServerResponse) => serveStatic(res, file),
    })),
    {
      method: 'GET',
      path: '/playground/events',
      handler: (req, res) => {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        });
        res.write('retry: 1000\n\n');
        clients.add(res);
        req.on('close', () => clients.delete(res));
      },
    },
    {
      method: 'GET',
      path: '/playground/api/state',
      handler: (req, res) => {
        const user = new URL(req.url ?? '/', 'http://x').searchParams.get('user') ?? DEFAULT_USER_ID;
        if (!isPerson(emulator, user)) {
          sendJson(res, 400, { error: 'unknown_user', message: `No person ${user} in the playground` });
          return;
        }
        sendJson(res, 200, stateFor(emulator, user));
      },
    },
    jsonRoute('/playground/api/send', sendSchema, async ({ user, channel, text, threadTs }) => {
      const typed = text.trim();
      const thread = threadTs ? { threadTs } : {};
      // Slack runs a slash command typed at the start of the composer; in a thread it is plain text.
      const command = /^(\/\S+)\s*([\s\S]*)$/.exec(typed);
      if (command && !threadTs) {
        const delivery = await emulator.outbound.slashCommand({
          userId: user,
          channelId: channel,
          command: command[1],
          text: command[2] ?? '',
        });
        return { status: delivery.status };
      }
      const slackText = slackTextOf(typed, {
        users: emulator.workspace.users(),
        channels: emulator.workspace.channels(),
      });
      if (channel === dmChannelFor(emulator, user)) {
        const delivery = await emulator.outbound.directMessage({ userId: user, text: slackText, ...thread });
        return { status: delivery.status };
      }
      // Every channel message is a `message` event (support channels make requests of them); a
      // mention of the bot is also an `app_mention`, as Slack sends both.
      const delivery = await emulator.outbound.channelMessage({
        userId: user,
        channelId: channel,
        text: slackText,
        ...thread,
      });
      return { status: delivery.mention?.status ?? delivery.status };
    }),
    jsonRoute(
      '/playground/api/click',
      clickSchema,
      async ({ user, channel, ts, viewId, actionId, value, blockId }) => {
        const action = {
          action_id: actionId,
          ...(value !== undefined ? { value } : {}),
          ...(blockId ? { block_id: blockId } : {}),
        };
        const delivery = viewId
          ? await emulator.outbound.blockAction({ userId: user, viewId, action })
          : await emulator.outbound.blockAction({
              userId: user,
              message: { channel: channel ?? '', ts: ts ?? '' },
              action,
            });
        return { status: delivery.status };
      },
    ),
    jsonRoute('/playground/api/submit-view', submitSchema, async ({ user, viewId, values }) => {
      const delivery = await emulator.outbound.viewSubmission({ userId: user, viewId, values });
      return { status: delivery.status, outcome: delivery.outcome, errors: delivery.errors ?? {} };
    }),
    jsonRoute('/playground/api/close-view', closeSchema, async ({ user, viewId }) => {
      if (emulator.workspace.view(viewId)?.user !== user) throw new Error('no such modal open for this user');
      emulator.workspace.closeView(viewId, true);
      return { status: 200 };
    }),
    jsonRoute('/playground/api/react', reactSchema, async ({ user, channel, ts, name }) => {
      // Like Slack's emoji picker: a reaction already there is taken back.
      const mine = emulator.workspace
        .message(channel, ts)
        ?.reactions?.some((reaction) => reaction.name === name && reaction.users.includes(user));
      const delivery = await emulator.outbound.reaction({
        userId: user,
        channelId: channel,
        ts,
        name,
        removed: mine === true,
      });
      return { status: delivery?.status ?? 200, removed: mine === true };
    }),
    jsonRoute('/playground/api/shortcut', shortcutSchema, async ({ user, channel, ts }) => {
      const delivery = await emulator.outbound.messageShortcut({
        userId: user,
        channelId: channel,
        messageTs: ts,
        callbackId: 'ask_support',
      });
      return { status: delivery.status };
    }),
  ];

  function jsonRoute<T extends z.ZodType<{ user: string }>>(
    path: string,
    schema: T,
    handle: (input: z.infer<T>) => Promise<unknown>,
  ): Route {
    return {
      method: 'POST',
      path,
      handler: async (req, res) => {
        let body: unknown;
        try {
          body = JSON.parse(await readBody(req));
        } catch (error) {
          sendJson(res, 400, { error: 'bad_request', message: (error as Error).message });
          return;
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) {
          sendJson(res, 400, { error: 'bad_request', message: parsed.error.issues[0]?.message ?? 'invalid' });
          return;
        }
        if (!isPerson(emulator, parsed.data.user)) {
          sendJson(res, 400, {
            error: 'unknown_user',
            message: `No person ${parsed.data.user} in the playground`,
          });
          return;
        }
        try {
          sendJson(res, 200, await handle(parsed.data));
        } catch (error) {
          logger.warn({ err: (error as Error).message, path }, 'playground request failed');
          sendJson(res, 422, { error: 'failed', message: (error as Error).message });
        }
      },
    };
  }

  return {
    emulator,
    botToken,
    signingSecret,
    routes,
    attach(url: string) {
      emulator.origin = url;
      emulator.outbound.targetUrl = `${url}/slack/events`;
    },
    close() {
      clearInterval(heartbeat);
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}

const userId = z.string().regex(/^U[A-Z0-9]+$/);
const sendSchema = z.object({
  user: userId,
  channel: z.string().min(1),
  text: z.string().min(1).max(40_000),
  threadTs: z.string().optional(),
});
const clickSchema = z.object({
  user: userId,
  channel: z.string().optional(),
  ts: z.string().optional(),
  viewId: z.string().optional(),
  actionId: z.string().min(1),
  value: z.string().optional(),
  blockId: z.string().optional(),
});
const submitSchema = z.object({
  user: userId,
  viewId: z.string().min(1),
  values: z.record(z.string(), z.string()),
});
const closeSchema = z.object({ user: userId, viewId: z.string().min(1) });
const reactSchema = z.object({
  user: userId,
  channel: z.string().min(1),
  ts: z.string().min(1),
  name: z.string().regex(/^[a-z0-9_+-]{1,100}$/),
});
const shortcutSchema = z.object({ user: userId, channel: z.string().min(1), ts: z.string().min(1) });

/** The page acts as one of the workspace's people, never as the bot or Slackbot. */
function isPerson(emulator: SlackEmulator, id: string): boolean {
  const user = emulator.workspace.user(id);
  return user !== undefined && !user.is_bot && user.id !== SLACKBOT_USER_ID;
}

function dmChannelFor(emulator: SlackEmulator, user: string): string {
  return user === DEFAULT_USER_ID ? BOT_DM_CHANNEL_ID : emulator.workspace.dmWith(user).id;
}

/** What one person sees: channels, the messages visible to them, their open modal. */
function stateFor(emulator: SlackEmulator, user: string) {
  const { workspace } = emulator;
  const dm = dmChannelFor(emulator, user);
  const channels = [
    ...workspace.channels().filter((channel) => channel.kind === 'public'),
    workspace.channel(dm),
  ].filter((channel) => channel !== undefined);
  const visible = (message: EmulatedMessage) => !message.ephemeralTo || message.ephemeralTo === user;
  return {
    me: user,
    bot: BOT_USER_ID,
    users: workspace.users().map((u) => ({ id: u.id, name: u.name, realName: u.real_name, isBot: u.is_bot })),
    channels: channels.map((channel) => ({
      id: channel.id,
      name: channel.kind === 'im' ? 'deskhand' : channel.name,
      kind: channel.kind,
    })),
    messages: workspace
      .allMessages()
      .filter((message) => visible(message) && channels.some((c) => c.id === message.channel)),
    view: workspace.openViews(user).at(-1)?.view ?? null,
  };
}

function serveStatic(res: ServerResponse, file: string): void {
  const body = readFileSync(`${PUBLIC_DIR}${file}`);
  const extension = file.split('.').pop() ?? 'html';
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'cache-control': 'no-cache',
  });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
