import { z } from 'zod';
import { PRIVATE_METADATA_MAX } from '../../blocks/index.js';

/** What the ticket modal carries from the click to the submit: the question and where the asker's card is. */
export interface TicketModalMetadata {
  questionId: string;
  /** The clicked card's response_url, to replace it with the ticket card. */
  responseUrl?: string;
  channelId?: string;
  /** The card's ts when it is a regular message (an ephemeral one can only be replaced through its response_url). */
  ts?: string;
  /** The thread the card is in (a support-channel request): the ticket carries it and follows it. */
  threadTs?: string;
}

const metadataSchema = z.object({
  q: z.string().min(1),
  u: z.string().optional(),
  c: z.string().optional(),
  t: z.string().optional(),
  h: z.string().optional(),
});

/** The modal's `private_metadata`: short keys, and only what fits Slack's 3000 characters. */
export function encodeTicketModalMetadata(metadata: TicketModalMetadata): string {
  const full = JSON.stringify({
    q: metadata.questionId,
    u: metadata.responseUrl,
    c: metadata.channelId,
    t: metadata.ts,
    h: metadata.threadTs,
  });
  if (full.length <= PRIVATE_METADATA_MAX) return full;
  // Slack's response URLs are far shorter than this; if one ever is not, the card is reached another way.
  return JSON.stringify({
    q: metadata.questionId,
    c: metadata.channelId,
    t: metadata.ts,
    h: metadata.threadTs,
  });
}

/** The metadata a submitted modal carries back; undefined when it is not deskhand's. */
export function decodeTicketModalMetadata(text: string | undefined): TicketModalMetadata | undefined {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(text ?? ''));
    if (!parsed.success) return undefined;
    const { q, u, c, t, h } = parsed.data;
    return { questionId: q, responseUrl: u, channelId: c, ts: t, threadTs: h };
  } catch {
    return undefined;
  }
}
