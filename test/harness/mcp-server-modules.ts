/** What `deskhand mcp <server>` must not load, as module paths relative to the repository. */
export const NOT_FOR_MCP_SERVERS = [
  'node_modules/@slack/',
  'node_modules/drizzle-orm/',
  'node_modules/postgres/',
  'src/db/',
  'src/playground/',
  'src/slack/',
  'src/http/',
  'src/main.ts',
] as const;
