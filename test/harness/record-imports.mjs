// `node --import ./test/harness/record-imports.mjs …`: appends the URL of every module the process
// loads to the file named by RECORD_IMPORTS, one a line (tests check what a command loads).
import { register } from 'node:module';

register(new URL('./record-imports-hooks.mjs', import.meta.url), {
  data: { file: process.env.RECORD_IMPORTS },
});
