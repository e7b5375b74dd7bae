// Whether dist/ holds a build of the current sources: the `prepare` script writes dist/.built after
// compiling, and any file in src/ changed since then makes the build stale.
import { existsSync, readdirSync, statSync } from 'node:fs';

/** True when `root`/dist was built after the last change to `root`/src (or there is no src/, as in an image). */
export function isBuildFresh(root) {
  const stamp = `${root}/dist/.built`;
  if (!existsSync(stamp)) return false;
  if (!existsSync(`${root}/src/cli.ts`)) return true;
  const built = statSync(stamp).mtimeMs;
  for (const name of readdirSync(`${root}/src`, { recursive: true })) {
    if (statSync(`${root}/src/${name}`).mtimeMs > built) return false;
  }
  return true;
}
