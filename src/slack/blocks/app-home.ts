import { minutes } from '../../digest/format.js';
import type { HomeData, HomeRequest } from '../../support/app-home/index.js';
import { clamp, fitBlocks, HEADER_TEXT_MAX, MODAL_BLOCKS_MAX } from './limits.js';
import { link, userLine } from './mrkdwn.js';
import { contextLine, section } from './parts.js';
import type { HomeView, KnownBlock } from './types.js';

const SLACK_ID = /^[CGUW][A-Z0-9]{2,}$/;

export interface AppHomeOptions {
  /** The workspace's URL (`https://acme.slack.com/`, from auth.test), for links to threads. */
  workspaceUrl?: string;
  /** "HelpScout", for the tickets part. */
  deskLabel?: string;
}

/** A person's Home tab: their queue as a responder, what they took, their own requests and tickets. */
export function appHomeView(data: HomeData, options: AppHomeOptions = {}): HomeView {
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'home_header',
      text: { type: 'plain_text', text: clamp('deskhand', HEADER_TEXT_MAX) },
    },
  ];
  if (data.responderChannels.length > 0) {
    blocks.push(
      section(
        'home_queue_title',
        `*Open requests in ${data.responderChannels
          .filter((id) => SLACK_ID.test(id))
          .map((id) => `<#${id}>`)
          .join(', ')}* — oldest first`,
      ),
      ...listOrNone('home_queue', data.queue, '_Nothing open: every request has been resolved._', (item) =>
        requestLine(item, options, true),
      ),
      { type: 'divider' },
      section('home_taken_title', '*Taken by you*'),
      ...listOrNone('home_taken', data.taken, '_Nothing taken right now._', (item) =>
        requestLine(item, options, false),
      ),
      { type: 'divider' },
    );
  }
  blocks.push(
    section('home_mine_title', '*Your open requests*'),
    ...listOrNone('home_mine', data.mine, '_None: ask in a support channel or with `/support`._', (item) =>
      requestLine(item, options, false),
    ),
    { type: 'divider' },
    section('home_tickets_title', '*Your tickets*'),
    ...listOrNone('home_tickets', data.tickets, '_No tickets._', (entry) => ticketLine(entry, options)),
    contextLine(
      'home_updated',
      `Updated <!date^${Math.floor(data.generatedAt.getTime() / 1000)}^{date_short_pretty} {time}|${data.generatedAt.toISOString()}>`,
    ),
  );
  return { type: 'home', blocks: fitBlocks(blocks, MODAL_BLOCKS_MAX) };
}

function listOrNone<T>(
  blockId: string,
  items: readonly T[],
  none: string,
  line: (item: T) => string,
): KnownBlock[] {
  if (items.length === 0) return [section(`${blockId}_none`, none)];
  return items.map((item, index) => section(`${blockId}_${index}`, line(item)));
}

function requestLine(item: HomeRequest, options: AppHomeOptions, showOwner: boolean): string {
  const { request } = item;
  const channel = SLACK_ID.test(request.channelId)
    ? `<#${request.channelId}>`
    : userLine(request.channelId, 30);
  const text = item.showText ? request.text : 'A request in a private channel';
  const quoted = link(
    threadUrl(options.workspaceUrl, request.channelId, request.rootTs),
    `“${oneLine(text)}”`,
    150,
  );
  const parts = [
    `${channel} · ${minutes(item.ageMinutes)} ago`,
    slaPart(item),
    statusPart(request.status),
    showOwner && request.takenBy && SLACK_ID.test(request.takenBy) ? `taken by <@${request.takenBy}>` : '',
  ].filter(Boolean);
  return `${quoted}\n${parts.join(' · ')}`;
}

function slaPart(item: HomeRequest): string {
  if (item.slaLeftMinutes === undefined) return '';
  if (item.slaLeftMinutes < 0) return `:rotating_light: SLA breached ${minutes(-item.slaLeftMinutes)} ago`;
  return `:hourglass_flowing_sand: SLA: ${minutes(item.slaLeftMinutes)} left`;
}

function statusPart(status: string): string {
  return (
    { open: 'open', in_progress: 'in progress', reopened: 'reopened', resolved: 'resolved' }[status] ??
    userLine(status, 20)
  );
}

function ticketLine(entry: HomeData['tickets'][number], options: AppHomeOptions): string {
  const { ticket } = entry;
  const number = ticket.externalNumber ?? ticket.externalId ?? String(ticket.id);
  const title = link(ticket.externalUrl, `Ticket #${number}: ${oneLine(ticket.subject)}`, 150);
  const state =
    ticket.externalStatus ??
    { pending: 'being filed', created: 'filed', failed: 'could not be filed', local: 'saved locally' }[
      ticket.status
    ];
  const thread = entry.thread
    ? link(threadUrl(options.workspaceUrl, entry.thread.channelId, entry.thread.threadTs), 'the thread')
    : '';
  return [
    title,
    [
      options.deskLabel ? `${userLine(options.deskLabel, 30)}: ${userLine(state, 30)}` : userLine(state, 30),
      thread,
    ]
      .filter(Boolean)
      .join(' · '),
  ].join('\n');
}

/** A thread's permalink in the form chat.getPermalink gives, built from the workspace URL. */
function threadUrl(workspaceUrl: string | undefined, channelId: string, ts: string): string | undefined {
  if (!workspaceUrl || !SLACK_ID.test(channelId) || !/^\d+\.\d+$/.test(ts)) return undefined;
  return `${workspaceUrl.replace(/\/?$/, '/')}archives/${channelId}/p${ts.replace('.', '')}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
