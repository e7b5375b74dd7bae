// `deskhand mcp <kb|notion|helpscout> …` on its own, without the rest of the CLI: the entry that
// `npm run build` bundles into dist/mcp.bundle.js (scripts/bundle-mcp.js), so a server an MCP
// client spawns answers `initialize` sooner. bin/deskhand.js and the bot's own spawned servers
// run it for `mcp`; everything else goes through cli.ts.
import { runCli } from './cli-runner.js';
import { runMcpServerCommand } from './commands/mcp.js';
import { loadEnv } from './config/env.js';

runCli(async () => {
  const args = process.argv.slice(2);
  return runMcpServerCommand(args[0] === 'mcp' ? args.slice(1) : args, loadEnv(process.env));
});
