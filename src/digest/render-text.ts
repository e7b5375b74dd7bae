import { breakdown, channelSummary, counted, keyFigures, ms, percent, periodLabel } from './format.js';
import type { Digest } from './types.js';

/** The digest as a readable table for the terminal (`npx deskhand digest`). */
export function digestAsText(digest: Digest): string {
  const lines: string[] = [`Support digest — ${periodLabel(digest)}`, ''];
  const figures = keyFigures(digest);
  const width = Math.max(...figures.map((figure) => figure.label.length));
  for (const figure of figures)
    lines.push(`${figure.label.padEnd(width)}  ${figure.value}  ${figure.change}`);
  lines.push(
    '',
    `By way in:   ${breakdown(digest.current.byEntryPoint)}`,
    `By category: ${breakdown(digest.current.byCategory)}`,
  );
  if (digest.current.busiestDay)
    lines.push(
      `Busiest day: ${digest.current.busiestDay.day} (${counted(digest.current.busiestDay.questions, 'question')})`,
    );
  lines.push('', 'Support channels:');
  if (digest.channels.length === 0) lines.push('  no requests');
  for (const channel of digest.channels)
    lines.push(`  ${channel.channelId.padEnd(12)} ${channelSummary(channel)}`);
  lines.push('', 'Knowledge gaps (no good answer or not helpful):');
  if (digest.gaps.length === 0) lines.push('  none');
  for (const gap of digest.gaps)
    lines.push(`  ${String(gap.count).padStart(4)}×  ${gap.example ?? '(asked privately)'}`);
  lines.push('', 'Sources:');
  if (digest.sources.length === 0) lines.push('  no lookups');
  else {
    lines.push(
      `  ${'source'.padEnd(14)} ${'calls'.padStart(7)} ${'errors'.padStart(7)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'hits/q'.padStart(7)}`,
    );
    for (const source of digest.sources) {
      lines.push(
        `  ${source.source.padEnd(14)} ${String(source.calls).padStart(7)} ${percent(source.errorRate).padStart(7)} ${ms(source.p50Ms).padStart(8)} ${ms(source.p95Ms).padStart(8)} ${String(source.hitsPerQuestion).padStart(7)}`,
      );
    }
  }
  return lines.join('\n');
}
