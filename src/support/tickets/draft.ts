import type { TicketPriority, TicketType } from '../ports.js';
import type { Answer, EntryPoint, SourceLookup } from '../types.js';

/** A ticket's text as deskhand proposes it: the person may edit it (modal) or it is filed as is (automatic tickets). */
export interface TicketDraft {
  subject: string;
  message: string;
  priority: TicketPriority;
  type: TicketType;
}

const SUBJECT_MAX = 120;
/** Long enough for any question deskhand keeps, short enough for a modal's text input. */
const MESSAGE_MAX = 3000;

const ENTRY_POINTS: Record<EntryPoint, string> = {
  slash: '/support in Slack',
  shortcut: 'the "Ask support" shortcut in Slack',
  mention: 'a mention in Slack',
  dm: 'a direct message in Slack',
  cli: 'the deskhand command line',
  mcp: "an AI agent through deskhand's MCP endpoint",
  channel: 'a message in a Slack support channel',
};

/** The ticket deskhand proposes for an answer: subject from the question, the question and every source already tried. */
export function ticketDraftFor(answer: Answer): TicketDraft {
  const { question } = answer;
  const lines = [
    question.text,
    '',
    `Asked through ${ENTRY_POINTS[question.entryPoint]} by ${question.askerId} on ${question.createdAt.toISOString()}.`,
  ];
  if (question.permalink) lines.push(`Original message: ${question.permalink}`);
  if (answer.lookups.length > 0) {
    lines.push('', answer.found ? 'Sources already tried:' : 'Sources already tried (no good answer found):');
    for (const lookup of answer.lookups) lines.push(`- ${describeLookup(lookup, answer)}`);
  }
  return {
    subject: subjectFrom(question.text),
    message: cut(lines.join('\n'), MESSAGE_MAX),
    priority: question.triage.urgency === 'high' ? 'urgent' : 'normal',
    type: 'email',
  };
}

function describeLookup(lookup: SourceLookup, answer: Answer): string {
  if (lookup.status !== 'ok') {
    const what =
      lookup.status === 'timeout' ? 'timed out' : lookup.status === 'unavailable' ? 'unavailable' : 'failed';
    return `${lookup.label}: ${what}${lookup.error ? ` (${lookup.error})` : ''}`;
  }
  const shown = answer.hits.filter((hit) => hit.source === lookup.source);
  if (shown.length === 0)
    return `${lookup.label}: ${lookup.hits.length === 0 ? 'no results' : 'nothing relevant'}`;
  return `${lookup.label}: ${shown.map((hit) => (hit.url ? `"${hit.title}" <${hit.url}>` : `"${hit.title}"`)).join(', ')}`;
}

/** The question's first line, cut on a word boundary. */
export function subjectFrom(text: string): string {
  const firstLine = text.trim().split('\n')[0]?.trim() ?? '';
  return cut(firstLine || 'Support question', SUBJECT_MAX);
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, max - 1);
  const boundary = kept.search(/\s\S*$/);
  return `${boundary > max * 0.6 ? kept.slice(0, boundary) : kept}…`;
}
