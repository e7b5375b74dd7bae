// Runs a Node entry point after a delay: an MCP server that is slow to come up, as on a busy host.
// `node test/harness/slow-start.mjs <delayMs> <entry.js> [args...]`. Whatever the client sends
// meanwhile waits in the pipe, as it would for a server still loading its code.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [delayMs, entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: slow-start.mjs <delayMs> <entry.js> [args...]');
  process.exit(2);
}
await new Promise((done) => setTimeout(done, Number(delayMs)));
process.argv = [process.argv[0], resolve(entry), ...args];
await import(pathToFileURL(resolve(entry)).href);
