import { parseArgs } from 'node:util';
import { runCli } from './cli-runner.js';
import { type AppConfig, loadEnv } from './config/env.js';

const USAGE = `deskhand — a Slack support bot

Usage: deskhand <command> [options]

Commands:
  start                          run the bot (the default; the same as npm start)
  migrate                        apply database migrations and exit
  ask "<question>"               answer one question through the full workflow and print the card
  digest [--since 7d] [--json]   print the support digest for a period
  mcp <kb|notion|helpscout> [--http --port N]
                                 run one of deskhand's MCP servers (stdio by default)
  doctor                         check configuration, database and every MCP service
  help                           show this help

Configuration comes from environment variables; see README.md.`;

type Command = (args: string[], config: AppConfig) => Promise<number>;

const commands: Record<string, Command> = {
  start: async (_args, config) => {
    const { runUntilSignalled } = await import('./commands/start.js');
    const code = await runUntilSignalled(config);
    // Stopped: everything deskhand opened is closed. A handle some library still keeps (seen: a
    // connection's timer after the embedded database was restarted under the bot) must not hold
    // the process past its grace period, so it ends a moment later whatever is left.
    setTimeout(() => process.exit(code), 1_000).unref();
    return code;
  },
  migrate: async (args, config) => {
    const { runMigrate } = await import('./commands/migrate.js');
    return runMigrate(args, config);
  },
  ask: async (args, config) => {
    const { runAsk } = await import('./commands/ask.js');
    return runAsk(args, config);
  },
  digest: async (args, config) => {
    const { runDigestCommand } = await import('./commands/digest.js');
    return runDigestCommand(args, config);
  },
  mcp: async (args, config) => {
    const { runMcpServerCommand } = await import('./commands/mcp.js');
    return runMcpServerCommand(args, config);
  },
  doctor: async (args, config) => {
    const { runDoctor } = await import('./commands/doctor.js');
    return runDoctor(args, config);
  },
};

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false });
  const name = positionals[0] ?? 'start';
  if (name === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`deskhand: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const config = loadEnv(process.env);
  return command(argv.slice(argv.indexOf(name) + 1), config);
}

runCli(() => main(process.argv.slice(2)));
