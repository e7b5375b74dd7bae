import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** A command line that runs deskhand's own CLI in a child process. */
export interface SelfCommand {
  command: string;
  args: string[];
}

/**
 * How to run `deskhand <args>` as a child: node on the compiled dist/cli.js when this process runs
 * compiled code, else (tests and development, running src/ under vitest or tsx) node with tsx's loader
 * on src/cli.ts. Never npx: it adds a second Node process and seconds to every start.
 */
export function selfCommand(args: string[]): SelfCommand {
  const compiled = import.meta.url.endsWith('.js');
  // deskhand's own MCP servers run from the bundled MCP entry when the build made one (it answers
  // `initialize` sooner: scripts/bundle-mcp.js).
  const bundle = fileURLToPath(new URL('../mcp.bundle.js', import.meta.url));
  const cli =
    compiled && args[0] === 'mcp' && existsSync(bundle)
      ? bundle
      : fileURLToPath(new URL(compiled ? '../cli.js' : '../cli.ts', import.meta.url));
  // A small young generation: these children handle small JSON-RPC messages, and it saves ~15 MB each.
  const node = ['--max-semi-space-size=1'];
  return compiled
    ? { command: process.execPath, args: [...node, cli, ...args] }
    : { command: process.execPath, args: [...node, '--import', tsxLoader(), cli, ...args] };
}

/** tsx's loader by absolute URL, so the child finds it whatever its working directory (tsx is a devDependency). */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/**
 * deskhand's own MCP servers in a services file, spawned directly: `command: deskhand` with
 * `args: [mcp, helpscout]`, or the `npx deskhand mcp helpscout` form of older files. Any other
 * command (a third-party server) is left as written.
 */
export function resolveOwnServer(command: string, args: string[]): SelfCommand {
  if (command === 'deskhand') return selfCommand(args);
  if (command === 'npx') {
    const rest = args.filter((arg) => arg !== '-y' && arg !== '--yes');
    if (rest[0] === 'deskhand') return selfCommand(rest.slice(1));
  }
  return { command, args };
}
