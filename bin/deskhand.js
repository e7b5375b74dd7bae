#!/usr/bin/env node
// The published entry point: node on the JavaScript that `npm install` compiled (the `prepare`
// script builds dist/). A checkout whose sources changed after the last build (development, tests,
// a merge) runs src/ through tsx instead, so it never runs stale code.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isBuildFresh } from './build-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));

if (isBuildFresh(root)) {
  // `deskhand mcp …` runs the bundled MCP entry when the build made one: it answers sooner.
  const args = process.argv.slice(2);
  const mcp = args[0] === 'mcp' && !args.includes('--help') && !args.includes('-h');
  await import(mcp && existsSync(`${root}dist/mcp.bundle.js`) ? '../dist/mcp.bundle.js' : '../dist/cli.js');
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error(
      existsSync(`${root}dist/.built`)
        ? 'deskhand: src/ changed after the last build: run `npm run build`'
        : 'deskhand: not built yet: run `npm run build` (npm install does it)',
    );
    process.exit(1);
  }
  register();
  await import('../src/cli.ts');
}
