/**
 * The found decision's features for every question of the answer-quality set, with its label,
 * as JSON lines: what its thresholds (or a model over them) are fitted on, offline. Each line
 * carries `odd` so a fit can be made on one half of the ids and checked on the other.
 * `node bin/run-ts.js bench/found-calibration.ts [--data …] [--knowledge …] > features.jsonl`
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KnowledgeIndex } from '../src/servers/kb/knowledge-index.js';
import { decideFound, rankHits } from '../src/support/ranking.js';
import { isOddId, kbHitsOf, loadArticles, loadQuestions } from './answer-quality.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, knowledge: { type: 'string' } } });
const index = new KnowledgeIndex(loadArticles(resolve(values.knowledge ?? 'knowledge')));
for (const labelled of loadQuestions(values.data ?? 'bench/data/answer-quality.jsonl')) {
  const ranked = rankHits(labelled.question, kbHitsOf(index, labelled.question), 6);
  const decision = decideFound(ranked, labelled.question);
  console.log(
    JSON.stringify({
      id: labelled.id,
      odd: isOddId(labelled.id),
      answerable: labelled.answerable,
      topRight: labelled.expected.includes(ranked[0]?.path ?? ''),
      found: decision.found,
      agreement: decision.agreement,
      ...decision.features,
    }),
  );
}
