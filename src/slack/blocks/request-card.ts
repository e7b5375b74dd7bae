import type { RequestStatus, SupportRequest } from '../../support/requests/index.js';
import type { Answer } from '../../support/types.js';
import { answerCard } from './answer-card.js';
import { httpUrl, quote, userLine, userText } from './mrkdwn.js';
import { actions, button, card, contextLine, section } from './parts.js';
import type { Button, CardMessage, KnownBlock, SectionBlock } from './types.js';

/** Action ids of a request's buttons: on the thread card and on the breach alert. */
export const REQUEST_ACTIONS = { take: 'request_take', human: 'request_human' } as const;

/** What a request card shows about its request. */
export type RequestView = Pick<
  SupportRequest,
  | 'id'
  | 'status'
  | 'takenBy'
  | 'takenAt'
  | 'resolvedBy'
  | 'resolvedAt'
  | 'slaDueAt'
  | 'firstResponseAt'
  | 'askerId'
>;

const QUESTION_QUOTED_MAX = 1500;

const STATUS_LABELS: Record<RequestStatus, string> = {
  open: ':large_green_circle: Open',
  in_progress: ':eyes: In progress',
  resolved: ':white_check_mark: Resolved',
  reopened: ':repeat: Reopened',
};

/**
 * The bot's reply in a request's thread: the answer card when there is an answer (its own buttons
 * kept), then the request's status and owner, and Take it (for responders) and I need a human
 * (for the asker). Redrawn in place with chat.update on every change.
 */
export function requestCard(
  request: RequestView,
  answer: Answer | undefined,
  options: { ticketsEnabled: boolean },
): CardMessage {
  const answered = answer ? answerCard(answer, options) : undefined;
  const head: KnownBlock[] = answered
    ? answered.blocks
    : [
        section(
          'request_intro',
          'Thanks, your request is open. Someone from the support team will reply in this thread.',
        ),
      ];
  const blocks = [...head, requestStatusBlock(request)];
  const buttons = requestButtons(request);
  if (buttons.length > 0) blocks.push(actions('request_actions', buttons));
  return card(`${answered?.text ?? 'Your request is open'} · ${statusText(request)}`, blocks);
}

/** The status and owner line: "In progress · taken by @sam", or when the first response is due. */
export function requestStatusBlock(request: RequestView): SectionBlock {
  return section('request_status', `*Status:* ${statusText(request)}`);
}

/** Take it until someone has; I need a human until the request is resolved. */
export function requestButtons(request: RequestView): Button[] {
  const value = String(request.id);
  const buttons: Button[] = [];
  if (request.status !== 'resolved' && !request.takenBy)
    buttons.push(button(REQUEST_ACTIONS.take, 'Take it', value, 'primary'));
  if (request.status !== 'resolved') buttons.push(button(REQUEST_ACTIONS.human, 'I need a human', value));
  return buttons;
}

/** The breach alert: which request, how long it waited, the question (public channels only), and Take it. */
export function breachAlertCard(
  request: SupportRequest,
  options: { permalink?: string; slaMinutes?: number; now?: Date },
): CardMessage {
  const now = options.now ?? new Date();
  const waited = Math.max(1, Math.round((now.getTime() - request.createdAt.getTime()) / 60_000));
  const sla = options.slaMinutes ? ` (SLA ${options.slaMinutes} min)` : '';
  const url = options.permalink ? httpUrl(options.permalink) : undefined;
  const thread = url ? `<${url}|Open the thread>` : 'the thread';
  const showText = request.channelKind === 'public';
  const question = showText
    ? quote(userText(request.text || '(no text)', QUESTION_QUOTED_MAX))
    : '_Asked in a private channel, so the text is not shown here: open the thread if you are a member._';
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'breach_header',
      text: { type: 'plain_text', text: '⏰ First response overdue', emoji: true },
    },
    section(
      'breach_summary',
      `${userMention(request.askerId)} asked in ${channelMention(request.channelId)} ${waited} min ago${sla} and no one has replied yet. ${thread}`,
    ),
    section('breach_question', question),
  ];
  if (request.takenBy) {
    blocks.push(contextLine('breach_taken', `:eyes: Taken by ${userMention(request.takenBy)}`));
  } else if (request.status === 'resolved') {
    blocks.push(contextLine('breach_taken', ':white_check_mark: Resolved'));
  } else {
    blocks.push(
      actions('breach_actions', [button(REQUEST_ACTIONS.take, 'Take it', String(request.id), 'primary')]),
    );
  }
  const summary = showText ? `: ${userLine(request.text, 150)}` : '';
  return card(`⏰ First response overdue in ${channelMention(request.channelId)}${summary}`, blocks);
}

/** The thread message that pings the responders when the asker clicks "I need a human". */
export function humanRequestedText(responders: readonly string[], usergroup?: string): string {
  const mentions = [
    ...(usergroup && /^S[A-Z0-9]+$/.test(usergroup) ? [`<!subteam^${usergroup}>`] : []),
    ...responders.filter((id) => /^[UW][A-Z0-9]{2,}$/.test(id)).map((id) => `<@${id}>`),
  ];
  const who = mentions.length > 0 ? `${mentions.join(' ')} ` : '';
  return `${who}:raising_hand: The asker would like a person to help with this request. Can someone take it?`;
}

function statusText(request: RequestView): string {
  const label = STATUS_LABELS[request.status];
  if (request.status === 'resolved') {
    return request.resolvedBy ? `${label} by ${userMention(request.resolvedBy)}` : label;
  }
  if (request.takenBy) return `${label} · taken by ${userMention(request.takenBy)}`;
  if (!request.firstResponseAt) return `${label} · first response due by ${slackTime(request.slaDueAt)}`;
  return label;
}

function userMention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : userLine(userId, 60);
}

function channelMention(channelId: string): string {
  return /^[CG][A-Z0-9]{2,}$/.test(channelId) ? `<#${channelId}>` : 'a support channel';
}

function slackTime(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(11, 16)} UTC`;
  return `<!date^${seconds}^{time}|${fallback}>`;
}
