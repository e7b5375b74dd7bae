import type { ChannelFigures, Digest, PeriodFigures } from './types.js';

/** "▲ 12%" / "▼ 3" / "=": the change from the previous period, for a person skimming. */
export function change(current: number, previous: number, unit: 'count' | 'share' = 'count'): string {
  if (current === previous) return '=';
  const arrow = current > previous ? '▲' : '▼';
  if (unit === 'share') return `${arrow} ${Math.abs(Math.round((current - previous) * 100))} pts`;
  if (previous === 0) return `${arrow} new`;
  return `${arrow} ${Math.abs(Math.round(((current - previous) / previous) * 100))}%`;
}

/** "1 question", "3 questions": a count with its noun. */
export const counted = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;

export const percent = (share: number) => `${Math.round(share * 100)}%`;
export const ms = (value: number | undefined) =>
  value === undefined ? '–' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${value} ms`;

/** The headline figures, in the order both renderings show them. */
export function keyFigures(digest: Digest): Array<{ label: string; value: string; change: string }> {
  const { current: c, previous: p } = digest;
  return [
    { label: 'Questions', value: String(c.questions), change: change(c.questions, p.questions) },
    {
      label: 'Solved without a ticket',
      value: `${percent(c.deflectionRate)} (${c.deflected})`,
      change: change(c.deflectionRate, p.deflectionRate, 'share'),
    },
    {
      label: 'Not helpful',
      value: `${percent(c.notHelpfulRate)} (${c.notHelpful})`,
      change: change(c.notHelpfulRate, p.notHelpfulRate, 'share'),
    },
    { label: 'Tickets', value: ticketsValue(c), change: change(c.tickets.total, p.tickets.total) },
    {
      label: 'Answer time p50 / p90',
      value: `${ms(c.answerMs.p50)} / ${ms(c.answerMs.p90)}`,
      change: change(c.answerMs.p90 ?? 0, p.answerMs.p90 ?? 0),
    },
    { label: 'Urgent alerts', value: alertsValue(c), change: change(c.alerts.total, p.alerts.total) },
  ];
}

function ticketsValue(figures: PeriodFigures): string {
  const reasons = Object.entries(figures.tickets.byReason).map(
    ([reason, n]) => `${n} ${reason.replace('_', ' ')}`,
  );
  const stuck = [
    figures.tickets.pending ? `${figures.tickets.pending} pending` : '',
    figures.tickets.failed ? `${figures.tickets.failed} failed` : '',
  ].filter(Boolean);
  return [
    String(figures.tickets.total),
    reasons.length ? `(${reasons.join(', ')})` : '',
    stuck.length ? `— ${stuck.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function alertsValue(figures: PeriodFigures): string {
  if (figures.alerts.total === 0) return '0';
  const taken =
    figures.alerts.medianMinutesToTake === undefined
      ? 'none taken'
      : `taken in ${figures.alerts.medianMinutesToTake} min (median)`;
  return `${figures.alerts.total}, ${taken}${figures.alerts.neverTaken ? `, ${figures.alerts.neverTaken} never taken` : ''}`;
}

export function breakdown(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([key, n]) => `${key} ${n}`).join(' · ') : '–';
}

export function periodLabel(digest: Digest): string {
  const day = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');
  return `${day(digest.period.from)} → ${day(digest.period.to)} UTC (last ${digest.period.label}, compared with the ${digest.period.label} before)`;
}

/** "14 min", "3 h 05", "2 d 4 h": a duration in minutes as people read it. */
export function minutes(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value < 60) return `${value} min`;
  if (value < 24 * 60) return `${Math.floor(value / 60)} h ${String(value % 60).padStart(2, '0')}`;
  return `${Math.floor(value / (24 * 60))} d ${Math.floor((value % (24 * 60)) / 60)} h`;
}

/** One support channel's figures on one line (the channel itself is named by the caller). */
export function channelSummary(channel: ChannelFigures): string {
  return [
    counted(channel.requests, 'request'),
    `${channel.answeredByBot} answered by the bot alone`,
    `first human response ${minutes(channel.medianFirstResponseMinutes)} (median)`,
    counted(channel.slaBreaches, 'SLA breach', 'SLA breaches'),
    `${percent(channel.resolvedShare)} resolved`,
    channel.oldestOpen ? `oldest open ${minutes(channel.oldestOpen.ageMinutes)}` : 'none open',
  ].join(' · ');
}
