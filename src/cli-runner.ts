import { ConfigError } from './config/errors.js';

/** Runs a CLI's main function: its result is the exit code; an error is one line on stderr and exit 1. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        console.error(`deskhand: configuration error: ${error.message}`);
        process.exit(1);
      }
      console.error(`deskhand: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.LOG_LEVEL === 'debug' && error instanceof Error) console.error(error.stack);
      process.exit(1);
    },
  );
}
