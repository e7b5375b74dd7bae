import type { Answer } from '../../support/types.js';
import { questionBlock } from './answer-card.js';
import { link, quote, userLine, userText } from './mrkdwn.js';
import { card, fieldsSection, section } from './parts.js';
import type { CardMessage, KnownBlock } from './types.js';

export type TicketStatus = 'pending' | 'created' | 'failed' | 'local';

/** What the ticket card shows of a `tickets` row. */
export interface TicketView {
  id: number;
  status: TicketStatus;
  subject: string;
  priority: string;
  /** The desk's own ticket number. */
  number?: string;
  url?: string;
  /** Label of the ticket desk ("HelpScout"). */
  desk?: string;
  lastError?: string;
  /** The desk's own status (active, pending, closed) as its webhooks report it. */
  externalStatus?: string;
  lastReply?: string;
}

const STATUS_LABELS: Record<TicketStatus, string> = {
  pending: 'Waiting to be filed',
  created: 'Filed',
  failed: 'Not filed',
  local: 'Saved locally',
};

/** The asker's ticket card: where the ticket stands (filed, waiting, failed, local), its details and latest reply. */
export function ticketCard(ticket: TicketView, answer?: Answer): CardMessage {
  const desk = userLine(ticket.desk || 'HelpScout', 60);
  const number = userLine(ticket.number || String(ticket.id), 40);
  const headline = statusLine(ticket, desk, number);

  const details = [
    `*Subject*\n${userLine(ticket.subject, 300) || '_(none)_'}`,
    `*Priority*\n${userLine(ticket.priority, 40)}`,
    `*Status*\n${STATUS_LABELS[ticket.status]}${ticket.externalStatus ? ` · ${userLine(ticket.externalStatus, 40)}` : ''}`,
  ];
  if (ticket.url && ticket.status === 'created')
    details.push(`*Link*\n${link(ticket.url, `Open #${number}`)}`);

  const blocks: KnownBlock[] = [section('ticket_status', headline), fieldsSection('ticket_details', details)];
  if (ticket.lastReply?.trim()) {
    blocks.push(section('ticket_last_reply', `*Latest reply*\n${quote(userText(ticket.lastReply, 1000))}`));
  }
  if (answer) blocks.push(questionBlock(answer));
  return card(headlineText(ticket, desk, number), blocks);
}

function statusLine(ticket: TicketView, desk: string, number: string): string {
  switch (ticket.status) {
    case 'created':
      return `:ticket: *Ticket ${link(ticket.url, `#${number}`)} filed in ${desk}*`;
    case 'pending':
      return `:hourglass_flowing_sand: *${desk} is unreachable right now — your ticket is saved and will be filed automatically.*`;
    case 'failed':
      return `:x: *The ticket couldn't be filed in ${desk}.*\nReason: ${userLine(ticket.lastError || 'unknown error', 500)}\nIt is still saved, so the support team can see it.`;
    case 'local':
      return `:file_folder: *Ticket #${number} saved locally (no ticket desk configured).* The support team can see it in deskhand.`;
  }
}

function headlineText(ticket: TicketView, desk: string, number: string): string {
  const subject = userLine(ticket.subject, 150);
  switch (ticket.status) {
    case 'created':
      return `Ticket #${number} filed in ${desk}: ${subject}`;
    case 'pending':
      return `Your ticket is saved and will be filed in ${desk} automatically: ${subject}`;
    case 'failed':
      return `Your ticket couldn't be filed in ${desk}: ${subject}`;
    case 'local':
      return `Ticket #${number} saved locally: ${subject}`;
  }
}
