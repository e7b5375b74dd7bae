import { SECTION_TEXT_MAX } from './limits.js';
import { userLine, userText } from './mrkdwn.js';
import { section } from './parts.js';
import type { CardMessage } from './types.js';

/** An agent's reply from the help desk, posted in the Slack thread it belongs to: "*Dana (HelpScout)*: …". */
export function deskReplyMessage(reply: { agentName: string; deskLabel: string; text: string }): CardMessage {
  const who = `*${userLine(reply.agentName, 80)} (${userLine(reply.deskLabel, 40)})*`;
  const body = userText(reply.text, SECTION_TEXT_MAX - who.length - 4);
  const mrkdwn = `${who}: ${body}`;
  return { text: mrkdwn, blocks: [section('desk_reply', mrkdwn)] };
}
