import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { z } from 'zod';
import { readBody, refuseTooLarge } from '../runtime/http-body.js';
import type { TicketSyncService } from '../support/ticket-sync/index.js';
import type { TicketDeskUpdate, TicketNotifier, TicketService } from '../support/tickets/index.js';
import { type Route, sendJson } from './server.js';

export const HELPSCOUT_WEBHOOK_PATH = '/webhooks/helpscout';

/** The events that change what the asker's ticket card shows. */
const HANDLED_EVENTS = new Set(['convo.status', 'convo.customer.reply.created', 'convo.agent.reply.created']);
/** Thread types the customer sees; notes and line items are internal and never reach Slack. */
const PUBLIC_THREAD_TYPES = new Set(['customer', 'reply', 'message', 'chat', 'phone']);
const LAST_REPLY_MAX = 500;

export interface HelpscoutWebhookOptions {
  /** HELPSCOUT_WEBHOOK_SECRET; without it every request is refused (nothing can be verified). */
  secret?: string;
  tickets: Pick<TicketService, 'applyDeskUpdate'>;
  notifier?: TicketNotifier;
  /** Posts agents' replies in the Slack thread a ticket came from. */
  threadSync?: Pick<TicketSyncService, 'agentReply'>;
  logger: Logger;
  maxBodyBytes: number;
}

/** Thread types an agent writes to the customer: relayed to the Slack thread. */
const AGENT_REPLY_TYPES = new Set(['reply', 'message']);

const personSchema = z.looseObject({
  type: z.string().optional(),
  first: z.string().nullish(),
  last: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
});

const threadSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).optional(),
  createdBy: personSchema.optional(),
  type: z.string().optional(),
  body: z.string().nullish(),
  createdAt: z.string().optional(),
});

/** The parts of HelpScout's conversation object (Mailbox API 2.0, or the legacy one) deskhand reads. */
const conversationSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  number: z.union([z.number(), z.string()]).optional(),
  status: z.string().optional(),
  preview: z.string().nullish(),
  modifiedAt: z.string().optional(),
  threads: z.unknown().optional(),
  _embedded: z.looseObject({ threads: z.array(threadSchema).optional() }).optional(),
});

type Conversation = z.infer<typeof conversationSchema>;

/**
 * `POST /webhooks/helpscout`: HelpScout tells deskhand that a conversation's status changed or
 * someone replied. Only requests signed with the webhook secret (`X-HelpScout-Signature`, base64
 * HMAC-SHA1 of the raw body) are read; the ticket row and the asker's card are then updated.
 */
export function helpscoutWebhookRoute(options: HelpscoutWebhookOptions): Route {
  return {
    method: 'POST',
    path: HELPSCOUT_WEBHOOK_PATH,
    handler: async (req, res) => {
      if (!options.secret) {
        sendJson(res, 503, {
          error: 'not_configured',
          message:
            'HELPSCOUT_WEBHOOK_SECRET is not set: deskhand cannot verify HelpScout webhooks, so it refuses them.',
        });
        return;
      }
      const raw = await readBody(req, options.maxBodyBytes);
      if (raw === 'too_large') {
        refuseTooLarge(res, options.maxBodyBytes);
        return;
      }
      if (!hasValidSignature(raw, header(req, 'x-helpscout-signature'), options.secret)) {
        options.logger.warn('refused a HelpScout webhook with a missing or wrong signature');
        sendJson(res, 401, { error: 'invalid_signature' });
        return;
      }
      const event = header(req, 'x-helpscout-event') ?? '';
      if (!HANDLED_EVENTS.has(event)) {
        sendJson(res, 200, { ok: true, ignored: event || 'no event' });
        return;
      }
      const conversation = parseConversation(raw);
      if (!conversation) {
        sendJson(res, 400, { error: 'invalid_payload', message: 'expected a HelpScout conversation object' });
        return;
      }
      const ticket = await options.tickets.applyDeskUpdate(deskUpdate(event, conversation));
      if (!ticket) {
        // A conversation deskhand did not file (or not yet recorded as filed): nothing to update.
        sendJson(res, 200, { ok: true, ticket: null });
        return;
      }
      try {
        await options.notifier?.ticketChanged(ticket);
      } catch (error) {
        options.logger.warn(
          { ticketId: ticket.id, err: (error as Error).message },
          'ticket card not updated',
        );
      }
      const reply = event === 'convo.agent.reply.created' ? latestAgentReply(conversation) : undefined;
      if (reply && options.threadSync) {
        // Stored before HelpScout hears 200: a delivery that fails here is retried by HelpScout, and
        // the reply's key keeps a redelivery from posting it twice.
        await options.threadSync.agentReply(ticket, { externalId: String(conversation.id), ...reply });
      }
      sendJson(res, 200, { ok: true, ticket: ticket.id });
    },
  };
}

/** Whether `signature` is the base64 HMAC-SHA1 of `raw` with `secret`, compared in constant time. */
export function hasValidSignature(raw: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature) return false;
  const expected = createHmac('sha1', secret).update(raw).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The `X-HelpScout-Signature` HelpScout sends with `raw` (for tests and the fake HelpScout). */
export function signHelpscoutBody(raw: string | Buffer, secret: string): string {
  return createHmac('sha1', secret).update(raw).digest('base64');
}

function deskUpdate(event: string, conversation: Conversation): TicketDeskUpdate {
  const update: TicketDeskUpdate = {
    externalId: String(conversation.id),
    ...(conversation.number !== undefined ? { externalNumber: String(conversation.number) } : {}),
    ...(conversation.status ? { externalStatus: conversation.status } : {}),
  };
  if (event === 'convo.status') return update;
  const reply = latestPublicThread(conversation);
  const text = plainText(reply?.body ?? conversation.preview ?? '');
  if (!text) return update;
  const at = parseDate(reply?.createdAt) ?? parseDate(conversation.modifiedAt) ?? new Date();
  return {
    ...update,
    lastReply: { at, text: text.length > LAST_REPLY_MAX ? `${text.slice(0, LAST_REPLY_MAX - 1)}…` : text },
  };
}

function latestPublicThread(conversation: Conversation): z.infer<typeof threadSchema> | undefined {
  const listed =
    conversation._embedded?.threads ?? z.array(threadSchema).catch([]).parse(conversation.threads);
  return listed
    .filter((thread) => PUBLIC_THREAD_TYPES.has(thread.type ?? ''))
    .reduce<z.infer<typeof threadSchema> | undefined>(
      (latest, thread) =>
        !latest ||
        (parseDate(thread.createdAt)?.getTime() ?? 0) > (parseDate(latest.createdAt)?.getTime() ?? 0)
          ? thread
          : latest,
      undefined,
    );
}

/** The newest reply an agent wrote, with its thread id and the agent's name; undefined without one. */
function latestAgentReply(
  conversation: Conversation,
): { threadId: string; agentName: string; text: string } | undefined {
  const listed =
    conversation._embedded?.threads ?? z.array(threadSchema).catch([]).parse(conversation.threads);
  const newest = listed
    .filter((thread) => AGENT_REPLY_TYPES.has(thread.type ?? '') && thread.id !== undefined)
    .filter((thread) => (thread.createdBy?.type ?? 'user') === 'user')
    .sort((a, b) => (parseDate(b.createdAt)?.getTime() ?? 0) - (parseDate(a.createdAt)?.getTime() ?? 0))[0];
  if (!newest) return undefined;
  const text = plainText(newest.body ?? '');
  if (!text) return undefined;
  // Named as agents sign their replies: by first name ("Dana"), else their email.
  const person = newest.createdBy;
  const name = (person?.first ?? person?.firstName ?? '').trim();
  return { threadId: String(newest.id), agentName: name || person?.email || 'An agent', text };
}

/** Thread bodies are HTML: the card shows their text. */
function plainText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/li)\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

function parseConversation(raw: Buffer): Conversation | undefined {
  try {
    const parsed = conversationSchema.safeParse(JSON.parse(raw.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function parseDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
