import { parseArgs } from 'node:util';
import type { Database } from '../db/client.js';
import { buildDigest } from './build.js';
import { digestAsText } from './render-text.js';

export { buildDigest, type DigestOptions } from './build.js';
export { type Period, parsePeriod } from './period.js';
export { digestAsText } from './render-text.js';
export { type RollupRefresher, startRollupRefresher } from './rollup-refresher.js';
export { assertValidCron, type DigestScheduler, startDigestScheduler } from './scheduler.js';
export type { Digest, KnowledgeGap, PeriodFigures, SourceFigures } from './types.js';

/** `deskhand digest [--since 7d] [--json]`: the whole text for a terminal, or JSON for scripts. */
export async function runDigestCli(
  args: string[],
  deps: { database: Database; stdout: { write(text: string): unknown }; now?: Date },
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { since: { type: 'string', default: '7d' }, json: { type: 'boolean', default: false } },
  });
  // Run by an operator on the server: private questions are shown, as they would be in the database.
  const digest = await buildDigest(deps.database, {
    since: values.since as string,
    now: deps.now,
    includePrivateText: true,
  });
  deps.stdout.write(values.json ? `${JSON.stringify(digest, null, 2)}\n` : `${digestAsText(digest)}\n`);
  return 0;
}
