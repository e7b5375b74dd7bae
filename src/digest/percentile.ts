/**
 * Postgres's `percentile_cont(fraction)` computed from a histogram (value → how many rows had it)
 * instead of from the sorted rows: the same number, from a hash aggregate instead of a sort.
 * Undefined when there are no values.
 */
export function percentileFromCounts(
  histogram: ReadonlyArray<[number, number]>,
  fraction: number,
): number | undefined {
  const sorted = [...histogram].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  // As in Postgres: the position among the sorted values, 0-based, interpolated between neighbours.
  const position = fraction * (total - 1);
  const lower = Math.floor(position);
  const below = valueAt(sorted, lower);
  if (position === lower) return below;
  const above = valueAt(sorted, lower + 1);
  return below + (position - lower) * (above - below);
}

function valueAt(sorted: ReadonlyArray<[number, number]>, index: number): number {
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (index < seen) return value;
  }
  return sorted.at(-1)?.[0] as number;
}
