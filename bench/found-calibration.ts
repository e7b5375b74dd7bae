/**
 * The found decision's features for every question of the answer-quality set, with its label,
 * as JSON lines: what its thresholds are fitted on, offline. Each line carries `odd` so a fit can
 * be made on one half of the ids and checked on the other. `--fit` instead runs the grid the
 * constants in src/support/ranking.ts were chosen by: the thresholds with the highest found recall
 * at a false found rate of at most `--max-false-found` (default 0.04) on the fitting ids, measured
 * on the others.
 * `node bin/run-ts.js bench/found-calibration.ts [--data …] [--knowledge …] [--fit] [--max-false-found 0.04]`
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KnowledgeIndex } from '../src/servers/kb/knowledge-index.js';
import { decideFound, type FoundFeatures, rankHits } from '../src/support/ranking.js';
import { isOddId, kbHitsOf, loadArticles, loadQuestions } from './answer-quality.js';

interface Row extends FoundFeatures {
  id: string;
  odd: boolean;
  answerable: boolean;
  agreement: boolean;
  found: boolean;
}

interface Thresholds {
  relevance: number;
  unknown: number;
  margin: number;
  rivalMargin: number;
  headed: number;
  asked: number;
}

const GRID: { [K in keyof Thresholds]: number[] } = {
  relevance: [0.4, 0.45, 0.5, 0.55, 0.6],
  unknown: [0.3, 0.5, 1.01],
  margin: [0, 0.03, 0.06, 0.09],
  rivalMargin: [0, 0.1, 0.15, 0.2],
  headed: [0, 0.05, 0.1, 0.15, 0.2],
  asked: [0, 0.1, 0.25, 0.5],
};

function decide(row: Row, t: Thresholds): boolean {
  return (
    row.relevance >= t.relevance &&
    row.unknown < t.unknown &&
    row.answerType === 1 &&
    row.headed >= t.headed &&
    row.asked >= t.asked &&
    (row.agreement || (row.margin >= t.margin && row.rivalMargin >= t.rivalMargin))
  );
}

function measure(rows: readonly Row[], t: Thresholds): { recall: number; falseFound: number } {
  const answerable = rows.filter((row) => row.answerable);
  const unanswerable = rows.filter((row) => !row.answerable);
  const share = (part: Row[], whole: Row[]) => Math.round((part.length / (whole.length || 1)) * 1000) / 1000;
  return {
    recall: share(
      answerable.filter((row) => decide(row, t)),
      answerable,
    ),
    falseFound: share(
      unanswerable.filter((row) => decide(row, t)),
      unanswerable,
    ),
  };
}

function fitThresholds(rows: readonly Row[], maxFalseFound: number): Thresholds | undefined {
  let best: { t: Thresholds; recall: number } | undefined;
  for (const relevance of GRID.relevance)
    for (const unknown of GRID.unknown)
      for (const margin of GRID.margin)
        for (const rivalMargin of GRID.rivalMargin)
          for (const headed of GRID.headed)
            for (const asked of GRID.asked) {
              const t = { relevance, unknown, margin, rivalMargin, headed, asked };
              const { recall, falseFound } = measure(rows, t);
              if (falseFound <= maxFalseFound && (!best || recall > best.recall)) best = { t, recall };
            }
  return best?.t;
}

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    knowledge: { type: 'string' },
    fit: { type: 'boolean', default: false },
    'max-false-found': { type: 'string', default: '0.04' },
  },
});
const index = new KnowledgeIndex(loadArticles(resolve(values.knowledge ?? 'knowledge')));
const rows: Row[] = loadQuestions(values.data ?? 'bench/data/answer-quality.jsonl').map((labelled) => {
  const ranked = rankHits(labelled.question, kbHitsOf(index, labelled.question), 6);
  const decision = decideFound(ranked, labelled.question);
  return {
    id: labelled.id,
    odd: isOddId(labelled.id),
    answerable: labelled.answerable,
    found: decision.found,
    agreement: decision.agreement,
    ...decision.features,
  };
});
if (!values.fit) {
  for (const row of rows) console.log(JSON.stringify(row));
} else {
  const maxFalseFound = Number(values['max-false-found']);
  const halves = { all: rows, odd: rows.filter((row) => row.odd), even: rows.filter((row) => !row.odd) };
  for (const [name, fitting, heldOut] of [
    ['all ids', halves.all, undefined],
    ['odd ids', halves.odd, halves.even],
    ['even ids', halves.even, halves.odd],
  ] as const) {
    const t = fitThresholds(fitting, maxFalseFound);
    if (!t) {
      console.log(`fitted on ${name}: no thresholds reach false found <= ${maxFalseFound}`);
      continue;
    }
    const held = heldOut ? ` | held out: ${JSON.stringify(measure(heldOut, t))}` : '';
    console.log(`fitted on ${name}: ${JSON.stringify(t)} fit: ${JSON.stringify(measure(fitting, t))}${held}`);
  }
}
