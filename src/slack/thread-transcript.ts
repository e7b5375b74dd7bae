import type { WebClient } from '@slack/web-api';
import { threadTranscript } from '../support/ticket-sync/index.js';

/** Longest transcript a ticket carries; the oldest messages stay (they hold the question). */
const TRANSCRIPT_MAX = 20_000;

/** A Slack thread as a ticket carries it. */
export interface ThreadSoFar {
  /** Who wrote the root message. */
  askerId?: string;
  /** The newest message read: later ones are added to the ticket as they come. */
  lastTs: string;
  /** People's messages, oldest first, each named by its author (bots' messages left out). */
  transcript: string;
}

/** Reads a thread (conversations.replies, every page) and names each author once (users.info). */
export async function readThreadSoFar(
  client: WebClient,
  channelId: string,
  threadTs: string,
): Promise<ThreadSoFar> {
  const messages: Array<{ ts?: string; user?: string; bot_id?: string; subtype?: string; text?: string }> =
    [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.replies({ channel: channelId, ts: threadTs, limit: 200, cursor });
    messages.push(...(page.messages ?? []));
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  const names = new Map<string, string>();
  for (const userId of new Set(messages.map((message) => message.user).filter((id): id is string => !!id))) {
    names.set(userId, await nameOf(client, userId));
  }
  const people = messages.filter((message) => !message.bot_id && !message.subtype && message.user);
  const transcript = threadTranscript(
    people.map((message) => ({
      author: names.get(message.user as string) ?? 'Someone',
      text: message.text ?? '',
    })),
  );
  return {
    askerId: messages.find((message) => message.ts === threadTs)?.user,
    lastTs: messages.reduce(
      (latest, message) => ((message.ts ?? '') > latest ? (message.ts ?? latest) : latest),
      threadTs,
    ),
    transcript:
      transcript.length > TRANSCRIPT_MAX ? `${transcript.slice(0, TRANSCRIPT_MAX - 1)}…` : transcript,
  };
}

async function nameOf(client: WebClient, userId: string): Promise<string> {
  try {
    const { user } = await client.users.info({ user: userId });
    return user?.real_name || user?.name || userId;
  } catch {
    return userId;
  }
}
