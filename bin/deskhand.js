#!/usr/bin/env node
// The published entry point: node on the JavaScript that `npm install` compiled (the `prepare`
// script builds dist/). A checkout whose sources changed after the last build (development, tests,
// a merge) runs src/ through tsx instead, so it never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = `${root}dist/.built`;

function sourcesNewerThan(time) {
  if (!existsSync(`${root}src/cli.ts`)) return false; // an image with only dist/
  for (const name of readdirSync(`${root}src`, { recursive: true })) {
    if (statSync(`${root}src/${name}`).mtimeMs > time) return true;
  }
  return false;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : undefined;
if (built !== undefined && !sourcesNewerThan(built)) {
  await import('../dist/cli.js');
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(
      built === undefined
        ? 'deskhand: not built yet: run `npm run build` (npm install does it)'
        : 'deskhand: src/ changed after the last build: run `npm run build`',
    );
    process.exit(1);
  }
  register();
  await import('../src/cli.ts');
}
