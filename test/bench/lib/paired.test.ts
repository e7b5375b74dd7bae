import { describe, expect, it } from 'vitest';
import { pairedSummary, runPaired, type Side } from '../../../bench/lib/paired.js';
import type { Row } from '../../../bench/lib/stats.js';

describe('paired benchmark runs', () => {
  it('alternates baseline and this checkout, baseline first, and labels each row', async () => {
    const order: Side[] = [];
    const rows = await runPaired(2, async (side) => {
      order.push(side);
      return [{ benchmark: 'b', case: 'c', cpu: side === 'baseline' ? 10 : 5 }];
    });
    expect(order).toEqual(['baseline', 'this', 'baseline', 'this']);
    expect(rows.map((row) => [row.code, row.pair])).toEqual([
      ['baseline', 1],
      ['this', 1],
      ['baseline', 2],
      ['this', 2],
    ]);
  });

  it('gives the median of the per-pair ratios, not the ratio of the medians', () => {
    // Pair 1 ran on a fast machine, pairs 2 and 3 on a slow one; this side halved the cost in two
    // pairs of three. The medians of each side (30 and 16) would say 0.53.
    const rows: Row[] = [
      [10, 5],
      [30, 31],
      [32, 16],
    ].flatMap(([baseline, mine], index) => [
      {
        benchmark: 'throughput',
        case: '200 q/s',
        cpu: baseline as number,
        code: 'baseline',
        pair: index + 1,
      },
      { benchmark: 'throughput', case: '200 q/s', cpu: mine as number, code: 'this', pair: index + 1 },
    ]);
    const [summary] = pairedSummary(rows, ['cpu']);
    expect(summary).toMatchObject({
      case: '200 q/s',
      pairs: 3,
      'cpu: baseline': 30,
      'cpu: this': 16,
      'cpu: ratio': 0.5,
    });
  });

  it('summarises each case apart and leaves a ratio out when the baseline has no figure', () => {
    const rows: Row[] = [
      { benchmark: 'b', case: '100 q/s', cpu: 0, code: 'baseline', pair: 1 },
      { benchmark: 'b', case: '100 q/s', cpu: 3, code: 'this', pair: 1 },
      { benchmark: 'b', case: '300 q/s', cpu: 8, code: 'baseline', pair: 1 },
      { benchmark: 'b', case: '300 q/s', cpu: 6, code: 'this', pair: 1 },
    ];
    const summary = pairedSummary(rows, ['cpu']);
    expect(summary.map((row) => row.case)).toEqual(['100 q/s', '300 q/s']);
    expect(summary[0]?.['cpu: ratio']).toBeNaN();
    expect(summary[1]?.['cpu: ratio']).toBe(0.75);
  });
});
