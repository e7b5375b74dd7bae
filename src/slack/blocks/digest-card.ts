import { breakdown, channelSummary, keyFigures, ms, percent, periodLabel } from '../../digest/format.js';
import type { Digest } from '../../digest/types.js';
import { clamp, HEADER_TEXT_MAX } from './limits.js';
import { userLine } from './mrkdwn.js';
import { card, contextLine, fieldsSection, section } from './parts.js';
import type { CardMessage, KnownBlock } from './types.js';

/** The digest as a Block Kit message: key figures with their changes, knowledge gaps, sources. */
export function digestCard(digest: Digest): CardMessage {
  const figures = keyFigures(digest);
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      block_id: 'digest_header',
      text: {
        type: 'plain_text',
        text: clamp(`Support digest — last ${digest.period.label}`, HEADER_TEXT_MAX),
      },
    },
    fieldsSection(
      'digest_figures',
      figures.map((figure) => `*${figure.label}*\n${figure.value}  ${figure.change}`),
    ),
    section(
      'digest_breakdown',
      [
        `*By way in:* ${breakdown(digest.current.byEntryPoint)}`,
        `*By category:* ${userLine(breakdown(digest.current.byCategory), 500)}`,
        digest.current.busiestDay
          ? `*Busiest day:* ${digest.current.busiestDay.day} (${digest.current.busiestDay.questions})`
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    ),
    ...channelBlocks(digest),
    { type: 'divider' },
    section(
      'digest_gaps',
      `*Knowledge gaps* — questions with no good answer or marked Not helpful\n${
        digest.gaps.length === 0
          ? '_None: every question found an answer._'
          : digest.gaps
              .map(
                (gap) =>
                  `• *${gap.count}×* ${gap.example ? userLine(gap.example, 200) : '_(asked privately)_'}`,
              )
              .join('\n')
      }`,
    ),
    section('digest_sources', `*Sources*\n\`\`\`${sourcesTable(digest)}\`\`\``),
    contextLine('digest_period', periodLabel(digest)),
  ];
  const headline = figures
    .map((figure) => `${figure.label}: ${figure.value}`)
    .slice(0, 3)
    .join(' · ');
  return card(`Support digest — last ${digest.period.label}: ${headline}`, blocks);
}

/** The support channels, one line each: ids from the database, shown as channel links. */
function channelBlocks(digest: Digest): KnownBlock[] {
  if (digest.channels.length === 0) return [];
  const lines = digest.channels
    .slice(0, 20)
    .map((channel) =>
      /^[CG][A-Z0-9]+$/.test(channel.channelId)
        ? `• <#${channel.channelId}> — ${channelSummary(channel)}`
        : `• ${userLine(channel.channelId, 40)} — ${channelSummary(channel)}`,
    );
  return [{ type: 'divider' }, section('digest_channels', `*Support channels*\n${lines.join('\n')}`)];
}

function sourcesTable(digest: Digest): string {
  if (digest.sources.length === 0) return 'no lookups in this period';
  const header = `${'source'.padEnd(14)}${'calls'.padStart(7)}${'errors'.padStart(8)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'hits/q'.padStart(8)}`;
  const rows = digest.sources.map(
    (source) =>
      `${userLine(source.source, 14).padEnd(14)}${String(source.calls).padStart(7)}${percent(source.errorRate).padStart(8)}${ms(source.p50Ms).padStart(9)}${ms(source.p95Ms).padStart(9)}${String(source.hitsPerQuestion).padStart(8)}`,
  );
  return [header, ...rows].join('\n');
}
