import type { WebClient } from '@slack/web-api';
import type { Alert } from '../support/alerts/index.js';
import { TooBusyError } from '../support/support-service.js';
import { type Ticket, TicketKeptForLaterError } from '../support/tickets/index.js';
import type { Answer, QuestionInput } from '../support/types.js';
import {
  answerCard,
  busyNotice,
  type CardMessage,
  errorNotice,
  link,
  rateLimitNotice,
  unescapeMrkdwn,
  userLine,
} from './blocks/index.js';
import { card, contextLine } from './blocks/parts.js';
import type { SlackDeps } from './deps.js';
import { emailOf } from './user-email.js';

/** What answering a question produced: the card to show the asker, and what was done about it. */
export interface AnsweredQuestion {
  card: CardMessage;
  answer?: Answer;
  ticket?: Ticket;
  alert?: Alert;
}

/**
 * The one workflow every way in (slash command, shortcut, mention, DM, support channel) goes through: rate limit,
 * ask, file the automatic ticket (no good answer, or urgent), alert the support channel for an
 * urgent question, and render the asker's card. Never throws: a failure becomes a notice card.
 */
export async function answerQuestion(
  deps: SlackDeps,
  client: WebClient,
  input: QuestionInput,
  options: { autoTicket?: boolean } = {},
): Promise<AnsweredQuestion> {
  const question = deps.support.prepare(input);
  const verdict = await deps.support.checkRateLimit(question);
  if (!verdict.allowed) return { card: rateLimitNotice(verdict.retryAfterSeconds) };

  let answer: Answer;
  try {
    answer = await deps.support.ask(question);
  } catch (error) {
    if (error instanceof TooBusyError) return { card: busyNotice() };
    deps.logger.error({ err: (error as Error).message, entryPoint: input.entryPoint }, 'answering failed');
    return { card: errorNotice() };
  }
  // In a support channel people answer in the thread: a ticket is made from the request when someone asks for one.
  const { ticket, kept } = options.autoTicket === false ? {} : await autoTicket(deps, client, answer);
  const alert = await raiseAlert(deps, answer, ticket);
  return { card: renderAnswer(deps, answer, { ticket, kept }, alert), answer, ticket, alert };
}

/**
 * The question in a Slack message's text: the bot's own mention removed, Slack's escaping undone,
 * links, user and channel mentions turned into plain words.
 */
export function questionTextOf(text: string | undefined, botUserId?: string): string {
  let plain = text ?? '';
  if (botUserId) plain = plain.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>[,:]?`, 'g'), ' ');
  plain = plain
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/<@([A-Z0-9]+)\|([^>]+)>/g, '@$2')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!(here|channel|everyone)(\|[^>]*)?>/g, '@$1');
  return unescapeMrkdwn(plain).replace(/\s+/g, ' ').trim();
}

/** The permalink of a message, or undefined when Slack cannot give one (deleted, no access). */
export async function permalinkOf(
  client: WebClient,
  channel: string,
  messageTs: string,
): Promise<string | undefined> {
  try {
    const { permalink } = await client.chat.getPermalink({ channel, message_ts: messageTs });
    return permalink;
  } catch {
    return undefined;
  }
}

/** The automatic ticket, if one is wanted: filed, or kept to be filed once the database is back. */
async function autoTicket(
  deps: SlackDeps,
  client: WebClient,
  answer: Answer,
): Promise<{ ticket?: Ticket; kept?: true }> {
  const { tickets } = deps;
  if (!tickets) return {};
  const wanted = !answer.found || answer.question.triage.urgency === 'high';
  if (!wanted) return {};
  try {
    return {
      ticket: await tickets.autoTicketFor(answer, {
        customerEmail: await emailOf(client, answer.question.askerId),
        responseUrl: answer.question.responseUrl,
      }),
    };
  } catch (error) {
    if (error instanceof TicketKeptForLaterError) {
      deps.logger.warn(
        { questionId: answer.question.id },
        'the automatic ticket is kept until the database is back; the outbox files it then',
      );
      return { kept: true };
    }
    deps.logger.error(
      { questionId: answer.question.id, err: (error as Error).message },
      'could not file the automatic ticket',
    );
    return {};
  }
}

async function raiseAlert(deps: SlackDeps, answer: Answer, ticket?: Ticket): Promise<Alert | undefined> {
  if (!deps.alerts || answer.question.triage.urgency !== 'high') return undefined;
  try {
    return await deps.alerts.raise(answer, ticket);
  } catch (error) {
    deps.logger.error(
      { questionId: answer.question.id, err: (error as Error).message },
      'could not raise the alert for an urgent question',
    );
    return undefined;
  }
}

/** The answer card, with a line about the ticket and the alert when there are any, and a link back for a shortcut. */
function renderAnswer(
  deps: SlackDeps,
  answer: Answer,
  { ticket, kept }: { ticket?: Ticket; kept?: true },
  alert?: Alert,
): CardMessage {
  const answered = answerCard(answer, { ticketsEnabled: deps.settings.ticketsEnabled });
  const notes: string[] = [];
  const { question } = answer;
  if (question.entryPoint === 'shortcut' && question.permalink) {
    notes.push(`:link: About ${link(question.permalink, 'this message')}`);
  }
  if (ticket) {
    const number = userLine(ticket.externalNumber ?? String(ticket.id), 40);
    const label = ticket.externalUrl ? link(ticket.externalUrl, `#${number}`) : `#${number}`;
    const state =
      ticket.status === 'created'
        ? 'filed'
        : ticket.status === 'local'
          ? 'saved'
          : ticket.status === 'pending'
            ? 'saved, and will be filed shortly'
            : 'could not be filed';
    notes.push(`:ticket: Ticket ${label} ${state} for you`);
  } else if (kept) {
    notes.push(
      ':ticket: A ticket is saved for you and will be filed as soon as deskhand can reach its database',
    );
  }
  if (alert) notes.push(':rotating_light: Marked urgent: the support team has been alerted');
  if (notes.length === 0) return answered;
  return card(answered.text, [...answered.blocks, contextLine('answer_followup', notes.join(' · '))]);
}
