import { userLine } from './mrkdwn.js';
import { card, section } from './parts.js';
import type { CardMessage } from './types.js';

/**
 * A one-line ephemeral notice. `mrkdwn` is sent as written: escape anything a user wrote in it
 * (with `escapeMrkdwn`), or use one of the helpers below.
 */
export function noticeCard(mrkdwn: string, emoji?: string): CardMessage {
  const line = emoji ? `${emoji} ${mrkdwn}` : mrkdwn;
  return card(line, [section('notice', line)]);
}

/** "Looking up “…” in Knowledge base, Notion…": shown while a question is being answered. */
export function lookingUpNotice(question: string, sourceLabels: string[]): CardMessage {
  const where =
    sourceLabels.length > 0
      ? sourceLabels
          .slice(0, 5)
          .map((label) => userLine(label, 60))
          .join(', ')
      : 'the knowledge base';
  return noticeCard(`Looking up “${userLine(question, 300)}” in ${where}…`, ':mag:');
}

/** The per-user rate limit was reached; says when to try again. */
export function rateLimitNotice(retryAfterSeconds: number): CardMessage {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return noticeCard(
    `You've asked a lot of questions in the last minute — try again in ${seconds} s.`,
    ':hourglass_flowing_sand:',
  );
}

/** Something failed on deskhand's side; the question was kept, and `ref` lets support find it. */
export function errorNotice(ref?: string): CardMessage {
  const reference = ref ? ` (ref ${userLine(ref, 64)})` : '';
  return noticeCard(`Something went wrong on our side; your question was saved${reference}.`, ':warning:');
}

/** Too many questions are waiting to be answered at once; this one was kept but not answered. */
export function busyNotice(): CardMessage {
  return noticeCard(
    'deskhand has more questions than it can answer right now; your question was saved — please ask again in a minute.',
    ':hourglass_flowing_sand:',
  );
}
