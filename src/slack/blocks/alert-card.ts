import type { Question } from '../../support/types.js';
import { httpUrl, link, quote, userLine, userText } from './mrkdwn.js';
import { actions, button, card, contextLine, fieldsSection, section } from './parts.js';
import type { CardMessage, KnownBlock } from './types.js';

/** Action id of the alert's "Take it" button (DESIGN.md §7). */
export const ALERT_TAKE_ACTION = 'alert_take';
/**
 * The "Take it" value of an alert posted before it could be stored (a database outage): its
 * question's id, since the alert has no id yet.
 */
export const UNRECORDED_ALERT_PREFIX = 'q:';

/** What the alert card shows of an `alerts` row. */
export interface AlertView {
  /** The alert's id: the "Take it" button's value. */
  id: number | string;
  question: Question;
  /** Where it was asked: a channel id (shown as a channel link) or a short description. */
  askedIn?: string;
  ticket?: { number?: string; url?: string; status: string };
  takenBy?: string;
  takenAt?: Date;
  escalated?: boolean;
}

const QUESTION_SHOWN_MAX = 1500;

/**
 * The urgent-case alert for the support channel: who asked, where, the question, urgency and
 * category, the ticket, and "Take it" until someone has. Text asked in a DM or a private
 * channel is left out unless `showPrivateText` says the alert channel may see it.
 */
export function alertCard(alert: AlertView, options: { showPrivateText?: boolean } = {}): CardMessage {
  const { question } = alert;
  const triage = question.triage;
  const matched = triage.matched.slice(0, 5).map((phrase) => `“${userLine(phrase, 40)}”`);
  const urgency = `${userLine(triage.urgency, 20)}${matched.length > 0 ? ` — matched ${matched.join(', ')}` : ''}`;

  const details = [
    `*Asked by*\n${userMention(question.askerId)}`,
    `*Where*\n${where(alert)}`,
    `*Urgency*\n${urgency}`,
    `*Category*\n${userLine(triage.category, 60)}`,
  ];
  if (alert.ticket) details.push(`*Ticket*\n${ticketLine(alert.ticket)}`);

  const showText = question.channelKind === 'public' || options.showPrivateText === true;
  const questionText = showText
    ? quote(userText(question.text, QUESTION_SHOWN_MAX))
    : `_Asked in ${question.channelKind === 'im' || question.channelKind === 'mpim' ? 'a direct message' : 'a private conversation'}, so the text is not shown here — see the ticket._`;

  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'alert_header',
      text: { type: 'plain_text', text: '🚨 Urgent support question', emoji: true },
    },
    fieldsSection('alert_details', details),
    section('alert_question', questionText),
  ];
  if (alert.takenBy) {
    const at = alert.takenAt ? ` at ${slackTime(alert.takenAt)}` : '';
    blocks.push(contextLine('alert_taken', `:white_check_mark: Taken by ${userMention(alert.takenBy)}${at}`));
  } else {
    if (alert.escalated)
      blocks.push(contextLine('alert_escalated', ':arrow_double_up: Escalated: not taken in time.'));
    blocks.push(
      actions('alert_actions', [button(ALERT_TAKE_ACTION, 'Take it', String(alert.id), 'primary')]),
    );
  }

  const summary = showText ? `: ${userLine(question.text, 150)}` : '';
  const taken = alert.takenBy ? ` (taken by ${userMention(alert.takenBy)})` : '';
  return card(
    `🚨 Urgent ${userLine(triage.category, 60)} question from ${userMention(question.askerId)}${summary}${taken}`,
    blocks,
  );
}

/** The thread reply that escalates an alert no one took, mentioning the on-call user group when one is set. */
export function escalationText(usergroup?: string): string {
  const group = usergroup?.trim();
  const mention = group && /^S[A-Z0-9]+$/.test(group) ? `<!subteam^${group}> ` : '';
  return `${mention}:rotating_light: This urgent question hasn't been taken yet — can someone take it?`;
}

/** `<@U…>` for a Slack user id; anything else (the CLI's "cli", a playground name) escaped as text. */
function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : userLine(userId, 60);
}

function where(alert: AlertView): string {
  const place = alert.askedIn ?? alert.question.channelId;
  let text: string;
  if (place && /^[CG][A-Z0-9]{2,}$/.test(place)) text = `<#${place}>`;
  else if (alert.question.channelKind === 'im' || place?.startsWith('D')) text = 'a direct message';
  else text = place ? userLine(place, 80) : 'unknown';
  const permalink = alert.question.permalink && httpUrl(alert.question.permalink);
  return permalink ? `${text} (${link(permalink, 'message')})` : text;
}

function ticketLine(ticket: NonNullable<AlertView['ticket']>): string {
  const number = ticket.number ? `#${ticket.number}` : 'Ticket';
  return `${link(ticket.url, number, 40)} · ${userLine(ticket.status, 40)}`;
}

/** A time Slack shows in each reader's own time zone, with a UTC fallback. */
function slackTime(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(11, 16)} UTC`;
  return `<!date^${seconds}^{time}|${fallback}>`;
}
