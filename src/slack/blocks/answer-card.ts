import type { Answer, KnowledgeHit, Reply, SourceLookup } from '../../support/types.js';
import { SECTION_TEXT_MAX } from './limits.js';
import { escapeMrkdwn, httpUrl, link, quote, userLine, userText } from './mrkdwn.js';
import { actions, button, card, contextLine, duration, listOf, section } from './parts.js';
import type { Button, CardMessage, ContextBlock, SectionBlock } from './types.js';

/** Action ids of the answer card's buttons (DESIGN.md §7). */
export const ANSWER_ACTIONS = {
  solved: 'answer_solved',
  notHelpful: 'answer_not_helpful',
  createTicket: 'answer_create_ticket',
} as const;

/** Sources shown on a card, best first (a reply cites at most three). */
export const MAX_SOURCES_SHOWN = 3;
/** Near misses shown under "Might also help". */
export const MAX_RELATED_SHOWN = 2;
const REPLY_PART_MAX = 600;
const QUESTION_SHOWN_MAX = 700;
const TITLE_SHOWN_MAX = 150;
const SNIPPET_SHOWN_MAX = 400;
const LOOKUPS_LINE_MAX = 1000;
const SOURCES_NAMED_MAX = 5;
const SOURCE_NAME_MAX = 60;

/**
 * The answer card: the question, the reply with its `[n]` citations, the sources it cites, at most
 * two "might also help" links, what was searched, and Solved / Not helpful / Create ticket. When
 * nothing answers the question it says plainly that deskhand does not know, and offers a ticket.
 */
export function answerCard(answer: Answer, options: { ticketsEnabled: boolean }): CardMessage {
  const question = questionBlock(answer);
  const body = answer.found ? answerBlocks(answer) : [notFoundBlock(answer), ...relatedBlocks(answer)];
  const buttons = actions('answer_actions', [
    button(ANSWER_ACTIONS.solved, 'Solved', answer.question.id),
    button(ANSWER_ACTIONS.notHelpful, 'Not helpful', answer.question.id),
    createTicketButton(answer, options.ticketsEnabled, answer.found ? undefined : 'primary'),
  ]);
  return card(fallbackText(answer), [question, ...body, lookupContext(answer), buttons]);
}

/** The question as asked, quoted and escaped, noting when it was shortened. */
export function questionBlock(answer: Answer): SectionBlock {
  const shown = userText(answer.question.text, QUESTION_SHOWN_MAX);
  const shortened = answer.question.truncated || shown.endsWith('…');
  const note = shortened ? '\n_(question shortened)_' : '';
  return section('answer_question', `*You asked:*\n${quote(shown)}${note}`);
}

/** The reply, its cited sources and the near misses; the older form (sources with snippets) for an answer stored without a reply. */
export function answerBlocks(answer: Answer): Array<SectionBlock | ContextBlock> {
  if (!answer.reply) return sourceBlocks(answer);
  return [replyBlock(answer.reply), ...citedSourceBlocks(answer), ...relatedBlocks(answer)];
}

/**
 * The reply as mrkdwn: sentences run on, steps one a line, each followed by its citation linked to
 * the source (`[1]`). Text is escaped; parts that would not fit are left out whole, never cut.
 */
export function replyBlock(reply: Reply): SectionBlock {
  const urls = new Map(reply.citations.map((citation) => [citation.n, citation.url]));
  const cite = (n: number) => {
    const url = urls.get(n);
    const safe = url === undefined ? undefined : httpUrl(url);
    return safe ? `<${safe}|[${n}]>` : `[${n}]`;
  };
  const header = '*Answer*\n';
  const lines: string[] = [];
  let paragraph: string[] = [];
  let length = header.length;
  let step = 0;
  const flush = () => {
    if (paragraph.length) lines.push(paragraph.join(' '));
    paragraph = [];
  };
  for (const part of reply.parts) {
    const text = `${escapeMrkdwn(part.text.replace(/\s+/g, ' ').trim())}`;
    if (text.length > REPLY_PART_MAX) continue;
    const piece = `${text} ${part.cites.map(cite).join('')}`;
    if (length + piece.length + 8 > SECTION_TEXT_MAX) break;
    length += piece.length + 1;
    if (part.kind === 'step') {
      flush();
      step++;
      lines.push(`${step}. ${piece}`);
    } else {
      paragraph.push(piece);
    }
  }
  flush();
  return section('answer_reply', `${header}${lines.join('\n')}`);
}

/** One line per cited source: its number, linked title and where it came from. */
function citedSourceBlocks(answer: Answer): SectionBlock[] {
  return answer.hits.slice(0, MAX_SOURCES_SHOWN).map((hit, index) => {
    const title = `*${link(hit.url, hit.title || 'Untitled', TITLE_SHOWN_MAX)}*`;
    const from = `_${userLine(sourceLabel(answer, hit), SOURCE_NAME_MAX)}_`;
    return section(`answer_source_${index + 1}`, `[${index + 1}] ${title} · ${from}`);
  });
}

/** "Might also help": at most two near misses, linked, below the answer (or below "I don't know"). */
export function relatedBlocks(answer: Answer): ContextBlock[] {
  const related = (answer.related ?? []).slice(0, MAX_RELATED_SHOWN);
  if (related.length === 0) return [];
  const links = related.map(
    (hit) =>
      `${link(hit.url, hit.title || 'Untitled', TITLE_SHOWN_MAX)} (${userLine(sourceLabel(answer, hit), SOURCE_NAME_MAX)})`,
  );
  return [contextLine('answer_related', `*Might also help:* ${links.join(' · ')}`)];
}

/** One section per source shown: linked title, where it came from, and the snippet, all escaped. */
export function sourceBlocks(answer: Answer): SectionBlock[] {
  return answer.hits.slice(0, MAX_SOURCES_SHOWN).map((hit, index) => {
    const title = `*${link(hit.url, hit.title || 'Untitled', TITLE_SHOWN_MAX)}*`;
    const from = `_${userLine(sourceLabel(answer, hit), SOURCE_NAME_MAX)}_`;
    const snippet = userLine(hit.snippet, SNIPPET_SHOWN_MAX);
    return section(`answer_source_${index + 1}`, [title, from, snippet].filter(Boolean).join('\n'));
  });
}

/** The context line: each source searched with ✓ and its hit count or ⚠ and what went wrong, and the time taken. */
export function lookupContext(answer: Answer): ContextBlock {
  const took = `in ${duration(answer.tookMs)}`;
  if (answer.lookups.length === 0) return contextLine('answer_sources', `No sources were searched · ${took}`);
  const parts: string[] = [];
  let length = 0;
  for (const [index, lookup] of answer.lookups.entries()) {
    const part = lookupStatus(lookup);
    const remaining = answer.lookups.length - index;
    if (length + part.length > LOOKUPS_LINE_MAX) {
      parts.push(`and ${remaining} more`);
      break;
    }
    parts.push(part);
    length += part.length + 3;
  }
  return contextLine('answer_sources', `Searched ${parts.join(' · ')} · ${took}`);
}

/** "Create ticket", or a label saying the ticket is only kept locally when no ticket desk is configured. */
export function createTicketButton(answer: Answer, ticketsEnabled: boolean, style?: 'primary'): Button {
  const label = ticketsEnabled ? 'Create ticket' : 'Create ticket (saved locally)';
  return button(ANSWER_ACTIONS.createTicket, label, answer.question.id, style);
}

function lookupStatus(lookup: SourceLookup): string {
  const label = sourceName(lookup);
  switch (lookup.status) {
    case 'ok':
      return `✓ ${label} (${lookup.hits.length})`;
    case 'timeout':
      return `⚠ ${label} timed out`;
    case 'unavailable':
      return `⚠ ${label} unavailable`;
    case 'error':
      return `⚠ ${label} failed`;
  }
}

function notFoundBlock(answer: Answer): SectionBlock {
  const labels = answer.lookups.map(sourceName);
  const named =
    labels.length > SOURCES_NAMED_MAX
      ? listOf([...labels.slice(0, SOURCES_NAMED_MAX), `${labels.length - SOURCES_NAMED_MAX} other sources`])
      : listOf(labels);
  const where = named ? ` in ${named}` : '';
  return section(
    'answer_not_found',
    `*I don't know.* Nothing${where} answers this well enough for me to say.\nCreate a ticket and a person from support will follow up.`,
  );
}

function sourceName(lookup: SourceLookup): string {
  return userLine(lookup.label || lookup.source, SOURCE_NAME_MAX);
}

function sourceLabel(answer: Answer, hit: KnowledgeHit): string {
  return answer.lookups.find((lookup) => lookup.source === hit.source)?.label || hit.source;
}

function fallbackText(answer: Answer): string {
  const question = userLine(answer.question.text, 150);
  const top = answer.hits[0];
  if (!answer.found || !top) return `I don't know the answer to “${question}” — you can create a ticket.`;
  if (answer.reply) return `Answer to “${question}”: ${userLine(answer.reply.text, 300)}`;
  return `Answer to “${question}”: ${userLine(top.title, TITLE_SHOWN_MAX)}`;
}
