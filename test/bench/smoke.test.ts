import { describe, expect, it } from 'vitest';
import { runAckLatency } from '../../bench/ack-latency.js';
import { runAnswerLatency } from '../../bench/answer-latency.js';
import { runAnswerQuality } from '../../bench/answer-quality.js';
import { runMcpOverhead } from '../../bench/mcp-overhead.js';
import { runThroughput } from '../../bench/throughput.js';

// Benchmarks are not tests: these only check that each one still runs and reports. No timing is asserted.
describe('the benchmarks still run', () => {
  it('ack latency', async () => {
    const rows = await runAckLatency({ rates: [20], seconds: 0.5 });
    expect(rows[0]).toMatchObject({ benchmark: 'ack latency', 'non-2xx': 0 });
  }, 60_000);

  it('answer latency', async () => {
    const rows = await runAnswerLatency({ questions: 1 });
    expect(rows[0]?.benchmark).toBe('answer latency');
  }, 60_000);

  it("answer quality, with today's ranking measured beside it", async () => {
    const rows = await runAnswerQuality({ limit: 20 });
    expect(rows.map((row) => row.case)).toEqual(['today (word share, by article)', 'replies (this branch)']);
    expect(rows[1]).toMatchObject({ benchmark: 'answer quality', questions: 20 });
  }, 60_000);

  it('MCP overhead', async () => {
    const rows = await runMcpOverhead({ calls: 5 });
    expect(rows.map((row) => row.case)).toEqual(['stdio', 'http']);
  }, 60_000);

  it('throughput, with every answer card delivered', async () => {
    const rows = await runThroughput({ rates: [20], seconds: 0.5, askers: 5 });
    expect(rows[0]?.sent).toBe(10);
    expect(rows[0]?.['cards delivered']).toBe(10);
  }, 90_000);
});
