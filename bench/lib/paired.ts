import { median, type Row, round } from './stats.js';

/** Which code a run measured: the baseline checkout, or this one. */
export type Side = 'baseline' | 'this';

/**
 * Runs `run` for the baseline and for this checkout alternately, `pairs` times, baseline first
 * in each pair. These machines change speed over minutes, so only runs made in the same minutes
 * compare; alternating puts each pair in the same minutes. Each row gets `code` and `pair`.
 */
export async function runPaired(
  pairs: number,
  run: (side: Side) => Promise<Row[]>,
  onRun?: (rows: Row[]) => void,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (let pair = 1; pair <= pairs; pair++) {
    for (const side of ['baseline', 'this'] as const) {
      const runRows = (await run(side)).map((row) => ({ ...row, code: side, pair }));
      onRun?.(runRows);
      rows.push(...runRows);
    }
  }
  return rows;
}

/**
 * One row per case: each metric's median for both sides, and the median over the pairs of this
 * side's value divided by the baseline's in the same pair (not a ratio of medians, which would
 * compare runs made minutes apart).
 */
export function pairedSummary(rows: readonly Row[], metrics: readonly string[]): Row[] {
  const cases = [...new Set(rows.map((row) => row.case))];
  return cases.map((name) => {
    const ofCase = rows.filter((row) => row.case === name);
    const summary: Row = { benchmark: String(ofCase[0]?.benchmark ?? ''), case: name };
    summary.pairs = new Set(ofCase.map((row) => row.pair)).size;
    for (const metric of metrics) {
      const value = (side: Side) =>
        ofCase.filter((row) => row.code === side).map((row) => Number(row[metric]));
      summary[`${metric}: baseline`] = round(median(value('baseline')));
      summary[`${metric}: this`] = round(median(value('this')));
      const ratios = ofCase
        .filter((row) => row.code === 'this')
        .flatMap((mine) => {
          const theirs = ofCase.find((row) => row.code === 'baseline' && row.pair === mine.pair);
          const base = Number(theirs?.[metric]);
          return theirs && base !== 0 && Number.isFinite(base) ? [Number(mine[metric]) / base] : [];
        });
      summary[`${metric}: ratio`] = ratios.length ? round(median(ratios)) : Number.NaN;
    }
    return summary;
  });
}
