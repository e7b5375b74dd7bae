// Bundles `deskhand mcp <server>` (src/mcp-cli.ts, with the MCP SDK, zod and ajv it loads) into
// one file, dist/mcp.bundle.js, which `deskhand mcp …` and the bot's own spawned servers run.
// An MCP client waits for a server to answer `initialize`, and loading the SDK's ~150 modules one
// by one was most of that wait (0.35 s against 0.25 s bundled, on 2 cores). The file sits in dist/
// so that what the code loads at run time by `createRequire(import.meta.url)` (yaml, node-cron)
// and pino, left out, still come from node_modules.

import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Writes the bundle to `outfile` (relative to the project's root). */
export async function bundleMcp(outfile = 'dist/mcp.bundle.js') {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/mcp-cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // pino loads its transports by path in worker threads: kept as the package it is.
    external: ['pino', 'pino-pretty'],
    // Bundled CommonJS packages (ajv) call require: give the ES module one.
    banner: {
      js: "import { createRequire as __deskhandCreateRequire } from 'node:module'; const require = __deskhandCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleMcp(process.argv[2]);
}
