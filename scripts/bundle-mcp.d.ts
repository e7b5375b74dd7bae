/** Writes the bundled `deskhand mcp …` entry to `outfile` (relative to the project's root; dist/mcp.bundle.js by default). */
export function bundleMcp(outfile?: string): Promise<void>;
