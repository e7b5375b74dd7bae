import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { SupportRequest } from '../support/requests/index.js';
import type { ChannelKind } from '../support/types.js';
import { answerQuestion, questionTextOf } from './answer-question.js';
import { type CardMessage, requestCard } from './blocks/index.js';
import { channelKindOf } from './channel-kind.js';
import type { SlackDeps } from './deps.js';
import { showToAsker } from './show-to-asker.js';

/** Subtypes that are still a person writing: a reply also sent to the channel, a message with a file. */
const HUMAN_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

const messageEventSchema = z.object({
  channel: z.string().min(1),
  channel_type: z.string().optional(),
  user: z.string().min(1).optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
});

/** A person's new message in a channel (top level or in a thread), as the support-channel flow reads it. */
export interface PersonMessage {
  channelId: string;
  userId: string;
  ts: string;
  /** The thread root when the message is a reply. */
  threadTs?: string;
  text: string;
  mentionsBot: boolean;
}

/**
 * The message a person wrote, or undefined for everything else Slack delivers as a `message`:
 * bots (deskhand's own echo included), edits, deletions, joins and other subtypes, and DMs.
 */
export function personMessageOf(event: unknown, botUserId: string | undefined): PersonMessage | undefined {
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const message = parsed.data;
  if (message.channel_type === 'im' || message.channel_type === 'mpim') return undefined;
  if (message.subtype !== undefined && !HUMAN_SUBTYPES.has(message.subtype)) return undefined;
  if (message.bot_id || !message.user || message.user === botUserId) return undefined;
  const isReply = message.thread_ts !== undefined && message.thread_ts !== message.ts;
  const raw = message.text ?? '';
  return {
    channelId: message.channel,
    userId: message.user,
    ts: message.ts,
    ...(isReply ? { threadTs: message.thread_ts } : {}),
    text: questionTextOf(raw, botUserId),
    mentionsBot: botUserId !== undefined && raw.includes(`<@${botUserId}`),
  };
}

/**
 * A new top-level message in a support channel: one request, answered in its thread with the
 * answer card carrying the request's status and buttons (chat.postMessage with thread_ts).
 */
export async function openRequestFromMessage(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  message: PersonMessage,
): Promise<void> {
  const requests = deps.requests;
  if (!requests) return;
  const channelKind = await supportChannelKind(client, message.channelId);
  let outcome: Awaited<ReturnType<typeof requests.open>>;
  try {
    outcome = await requests.open({
      teamId,
      channelId: message.channelId,
      ts: message.ts,
      userId: message.userId,
      channelKind,
      text: message.text,
    });
  } catch (error) {
    // The database is away: the asker still gets an answer, without a request to track.
    deps.logger.warn(
      { channel: message.channelId, err: (error as Error).message },
      'could not store the request; answering it untracked',
    );
    await answerUntracked(deps, client, teamId, message, channelKind);
    return;
  }
  if (outcome.kind !== 'opened') return;
  const { request, settings } = outcome;
  // Automatic answers on, but this message does not read as a question: tracked, left to people.
  if (settings.autoAnswer && (!outcome.answer || !message.text)) return;
  let answer: Awaited<ReturnType<typeof answerQuestion>>['answer'];
  let answerCard: CardMessage | undefined;
  if (settings.autoAnswer) {
    const answered = await answerInChannel(deps, client, teamId, message, channelKind, {
      text: message.text,
    });
    answer = answered.answer;
    answerCard = answered.card;
  }
  const card = requestCard(request, answer, { ticketsEnabled: deps.settings.ticketsEnabled });
  const posted = await postInThread(deps, client, message, message.ts, card, answerCard);
  // Slack would not take the request's card: the request stays tracked (App Home, SLA) without it.
  if (!posted) return;
  try {
    await requests.linkReply(request.id, { replyTs: posted.ts, questionId: answer?.question.id });
    await redrawIfChanged(deps, request);
  } catch (error) {
    // The answer is out; only emoji on the bot's reply and its redraws are lost.
    deps.logger.warn(
      { requestId: request.id, err: (error as Error).message },
      'could not link the request’s reply',
    );
  }
}

/**
 * A reply in a support channel's thread: the asker's follow-up (answered when it is a new
 * question, reopening a resolved request), or someone else's response (the first response, and a
 * take when a responder replies). A mention of deskhand in the thread is answered whoever asks.
 */
export async function replyInRequestThread(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  message: PersonMessage & { threadTs: string },
): Promise<void> {
  const requests = deps.requests;
  if (!requests) return;
  const channelKind = await supportChannelKind(client, message.channelId);
  const outcome = await requests.reply({
    teamId,
    channelId: message.channelId,
    ts: message.ts,
    threadTs: message.threadTs,
    userId: message.userId,
    channelKind,
    text: message.text,
  });
  if (outcome.kind === 'not_a_request') return;
  const wanted =
    message.text &&
    (message.mentionsBot || (outcome.kind === 'follow_up' && outcome.answer && outcome.settings.autoAnswer));
  if (!wanted) return;
  const { request } = outcome;
  const first = request.text && request.text !== message.text ? request.text : undefined;
  const answered = await answerInChannel(deps, client, teamId, message, channelKind, {
    // The thread's first question goes with the follow-up so the lookup has its context.
    text: first ? `${message.text}\n\n(Follow-up to: ${first})` : message.text,
    parentQuestionId: request.questionId,
  });
  await postInThread(deps, client, message, message.threadTs, answered.card, answered.card);
}

async function answerUntracked(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  message: PersonMessage,
  channelKind: ChannelKind,
): Promise<void> {
  const settings = await deps.requests?.settingsFor(message.channelId).catch(() => undefined);
  if (!settings?.autoAnswer || !message.text) return;
  const answered = await answerInChannel(deps, client, teamId, message, channelKind, { text: message.text });
  await postInThread(deps, client, message, message.ts, answered.card, answered.card);
}

/**
 * Answers a support channel's message for its thread (the message's own, or the one it replies
 * in). No automatic ticket: in a support channel people answer in the thread, and a ticket is made
 * from the request when someone asks for one.
 */
function answerInChannel(
  deps: SlackDeps,
  client: WebClient,
  teamId: string,
  message: PersonMessage,
  channelKind: ChannelKind,
  question: { text: string; parentQuestionId?: string },
) {
  return answerQuestion(
    deps,
    client,
    {
      ...question,
      entryPoint: 'channel',
      askerId: message.userId,
      teamId,
      channelId: message.channelId,
      channelKind,
      threadTs: message.threadTs ?? message.ts,
      messageTs: message.ts,
    },
    { autoTicket: false },
  );
}

/**
 * Posts `card` in the thread. When Slack will not take it there (after the WebClient's own
 * retries), the asker still gets `answer` privately, in the channel or by DM; returns undefined.
 */
async function postInThread(
  deps: SlackDeps,
  client: WebClient,
  message: PersonMessage,
  threadTs: string,
  card: CardMessage,
  answer: CardMessage | undefined,
): Promise<{ ts?: string } | undefined> {
  try {
    const posted = await client.chat.postMessage({
      channel: message.channelId,
      thread_ts: threadTs,
      ...card,
      unfurl_links: false,
    });
    deps.cardsShown?.shown('in_place');
    return posted;
  } catch (error) {
    deps.logger.warn(
      { channel: message.channelId, threadTs, err: (error as Error).message },
      'the support thread did not take the card',
    );
    const where = answer
      ? await showToAsker(
          client,
          deps.logger,
          { userId: message.userId, channelId: message.channelId },
          answer,
        )
      : 'lost';
    deps.cardsShown?.shown(where);
    return undefined;
  }
}

/** The request a question's answer card belongs to: the thread's first answer or a follow-up in it. */
export async function requestOfQuestion(
  deps: SlackDeps,
  questionId: string,
): Promise<SupportRequest | undefined> {
  const requests = deps.requests;
  if (!requests) return undefined;
  const direct = await requests.findByQuestion(questionId);
  if (direct) return direct;
  const question = await deps.support.findQuestion(questionId);
  if (question?.entryPoint !== 'channel' || !question.channelId || !question.threadTs) return undefined;
  return requests.findByThread(question.teamId ?? '', question.channelId, question.threadTs);
}

/** A change that landed before the reply's ts was stored (a 👀 during the lookup) is drawn now. */
async function redrawIfChanged(deps: SlackDeps, drawn: SupportRequest): Promise<void> {
  const now = await deps.requests?.findById(drawn.id);
  if (!now || (now.status === drawn.status && now.takenBy === drawn.takenBy)) return;
  await deps.requests?.redraw(now);
}

async function supportChannelKind(client: WebClient, channelId: string): Promise<ChannelKind> {
  const kind = await channelKindOf(client, channelId);
  return kind === 'public' || kind === 'private' ? kind : 'unknown';
}
