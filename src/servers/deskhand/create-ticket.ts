import { createHash } from 'node:crypto';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type Ticket, TicketKeptForLaterError, ticketDraftFor } from '../../support/tickets/index.js';
import { errorResult, jsonResult } from '../shared/rest.js';
import { askForAgent, EMPTY_QUESTION, isAnswer } from './agent-question.js';
import type { DeskhandToolDeps } from './deps.js';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
/** HelpScout's subject limit. */
const SUBJECT_MAX = 255;
const EMAIL_MAX = 254;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The same question and email within this long are one ticket: a retry after a timeout or a
 * dropped connection finds the ticket the first call filed instead of filing a second one.
 */
export const TICKET_RETRY_WINDOW_MS = 10 * 60_000;

const ticketResultSchema = {
  ticket_id: z.number(),
  state: z
    .enum(['pending', 'created', 'local', 'failed'])
    .describe('created: at the desk; pending: saved, the desk is retried in the background; failed: refused'),
  desk: z.string().optional().describe('Where it is filed, e.g. "HelpScout"'),
  number: z.string().optional().describe("The desk's ticket number, once the desk confirmed it"),
  url: z.string().optional(),
  question_id: z.string().optional(),
  subject: z.string(),
  priority: z.enum(PRIORITIES),
  already_filed: z.boolean().describe('True when an earlier call with the same question and email filed it'),
  message: z.string().describe('What happened, in a sentence to pass on to the person'),
};

/** `create_ticket { question, email, subject?, priority? }`: a ticket through the same outbox as Slack's. */
export function registerCreateTicket(server: McpServer, deps: DeskhandToolDeps): void {
  server.registerTool(
    'create_ticket',
    {
      title: 'Create a support ticket',
      description:
        'Files a ticket with the support desk (HelpScout) for a question the knowledge did not answer; ' +
        'the support team replies to the email given. The ticket lists the sources deskhand already tried. ' +
        'Calling again with the same question and email within 10 minutes returns the same ticket, so a ' +
        'retry never files twice; call again to see whether a pending ticket was filed.',
      inputSchema: {
        question: z.string().describe('What the person needs help with, in their words'),
        email: z.string().describe('Where the support team should reply, e.g. ana@example.com'),
        subject: z
          .string()
          .max(SUBJECT_MAX)
          .optional()
          .describe("The ticket's subject; defaults to the question's first line"),
        priority: z
          .enum(PRIORITIES)
          .optional()
          .describe('Defaults to urgent for urgent-sounding questions, else normal'),
      },
      outputSchema: ticketResultSchema,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    async ({ question, email, subject, priority }): Promise<CallToolResult> => {
      const text = question.trim();
      if (!text) return errorResult(EMPTY_QUESTION);
      const address = email.trim();
      if (address.length > EMAIL_MAX || !EMAIL.test(address)) {
        return errorResult(
          `"${address.slice(0, 80)}" is not an email address: pass the address where the support team should reply, e.g. ana@example.com.`,
        );
      }
      const { tickets } = deps;
      if (!tickets.deskConfigured) {
        return errorResult(
          'No ticket desk is configured, so deskhand cannot file tickets: its operator must add a service ' +
            'offering create_conversation (HelpScout) to mcp_services.yml. Until then, write to the support team directly.',
        );
      }
      const now = deps.now?.() ?? new Date();
      const keys = ticketKeys(deps.askerId, address, text, now);
      try {
        const earlier = await findEarlier(deps, keys, now);
        if (earlier) return jsonResult(ticketResult(earlier, tickets.deskLabel, true));

        const outcome = await askForAgent(deps, text);
        if (!isAnswer(outcome)) return outcome;
        const draft = ticketDraftFor(outcome);
        const ticket = await tickets.requestTicket({
          questionId: outcome.question.id,
          idempotencyKey: keys.current,
          subject: subject?.trim() || draft.subject,
          message: draft.message,
          customerEmail: address,
          priority: priority ?? draft.priority,
          type: 'email',
          requesterId: deps.askerId,
          reason: 'asked',
        });
        // A concurrent retry may have stored it first: then this call's question is not the ticket's.
        const alreadyFiled = ticket.questionId !== outcome.question.id;
        return jsonResult(ticketResult(ticket, tickets.deskLabel, alreadyFiled));
      } catch (error) {
        if (error instanceof TicketKeptForLaterError)
          return errorResult(
            'deskhand could not reach its database, so the ticket was kept and will be filed once it can; call again later with the same question and email to get its number (it will not be filed twice).',
            true,
          );
        deps.logger.error({ err: (error as Error).message }, 'an MCP ticket could not be stored');
        return errorResult(
          'The ticket could not be saved just now (deskhand could not reach its database); call again with the same question and email.',
          true,
        );
      }
    },
  );
}

interface TicketKeys {
  /** The key a new ticket is stored under. */
  current: string;
  /** The key of the window before: a retry just after a window boundary still finds its ticket. */
  previous: string;
}

/**
 * Idempotency keys for one asker, email and question (case and spacing ignored), one per window.
 * Hashed so that neither the email nor the question text ends up in HelpScout's key tag.
 */
export function ticketKeys(askerId: string, email: string, question: string, now: Date): TicketKeys {
  const digest = createHash('sha256')
    .update([askerId, email.toLowerCase(), question.toLowerCase().replace(/\s+/g, ' ')].join('\n'))
    .digest('hex')
    .slice(0, 32);
  const window = Math.floor(now.getTime() / TICKET_RETRY_WINDOW_MS);
  return { current: `mcp-${digest}-${window}`, previous: `mcp-${digest}-${window - 1}` };
}

async function findEarlier(deps: DeskhandToolDeps, keys: TicketKeys, now: Date): Promise<Ticket | undefined> {
  const same = await deps.tickets.findByKey(keys.current);
  if (same) return same;
  const before = await deps.tickets.findByKey(keys.previous);
  return before && now.getTime() - before.createdAt.getTime() <= TICKET_RETRY_WINDOW_MS ? before : undefined;
}

function ticketResult(ticket: Ticket, deskLabel: string | undefined, alreadyFiled: boolean) {
  const desk = deskLabel ?? ticket.desk;
  const number = ticket.externalNumber;
  return {
    ticket_id: ticket.id,
    state: ticket.status,
    ...(desk ? { desk } : {}),
    ...(number ? { number } : {}),
    ...(ticket.externalUrl ? { url: ticket.externalUrl } : {}),
    ...(ticket.questionId ? { question_id: ticket.questionId } : {}),
    subject: ticket.subject,
    priority: ticket.priority,
    already_filed: alreadyFiled,
    message: describeTicket(ticket, desk ?? 'the ticket desk'),
  };
}

function describeTicket(ticket: Ticket, desk: string): string {
  switch (ticket.status) {
    case 'created':
      return `Ticket ${ticket.externalNumber ? `#${ticket.externalNumber}` : ticket.id} is filed with ${desk}; the support team will reply by email to ${ticket.customerEmail ?? 'the address given'}.`;
    case 'pending':
      return `The ticket is saved; ${desk} has not confirmed it yet and deskhand keeps trying in the background. Call create_ticket again with the same question and email to see its state.`;
    case 'failed':
      return `${desk} refused the ticket: ${ticket.lastError ?? 'no reason given'}. Write to the support team directly.`;
    case 'local':
      return 'The ticket is saved in deskhand, which has no ticket desk to file it with.';
  }
}
