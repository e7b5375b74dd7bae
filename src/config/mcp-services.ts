import { isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { interpolate, MissingVariableError } from './interpolate.js';
import { parseYaml, readConfigFile, validateYaml } from './yaml-file.js';

const PROFILES = ['deskhand', 'notion-official'] as const;

const serviceSchema = z
  .object({
    /** `builtin`: deskhand's own kb inside the bot's process (no child process), over `env.KNOWLEDGE_DIR`. */
    transport: z.enum(['http', 'sse', 'websocket', 'stdio', 'builtin'], {
      error: 'transport must be one of http, sse, websocket, stdio, builtin',
    }),
    url: z.url('url must be a URL').optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    auth_token: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeout_ms: z.number().int().positive().max(300_000).default(10_000),
    /** Spawn or connect, `initialize` and `tools/list`: a server's start, apart from its calls' `timeout_ms`. */
    connect_timeout_ms: z.number().int().positive().max(600_000).default(20_000),
    retry_attempts: z.number().int().min(0).max(10).default(2),
    max_concurrency: z.number().int().positive().max(256).default(8),
    profile: z.enum(PROFILES, { error: `profile must be one of ${PROFILES.join(', ')}` }).default('deskhand'),
    label: z.string().optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((service, ctx) => {
    if (service.transport === 'stdio' && !service.command) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'a stdio service needs a command' });
    }
    if (service.transport !== 'stdio' && service.transport !== 'builtin' && !service.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${service.transport} service needs a url` });
    }
  });

const fileSchema = z
  .object({
    services: z.record(
      z.string().regex(/^[a-z][a-z0-9_-]*$/, 'service names are lowercase letters, digits, - and _'),
      serviceSchema,
    ),
  })
  .strict();

export type McpServiceConfig = z.infer<typeof serviceSchema> & { name: string };
export type McpProfile = (typeof PROFILES)[number];

/**
 * Reads the MCP services file (DESIGN.md §5): YAML, `${VAR}` / `${VAR:-default}` interpolated in
 * every string. Any mistake throws a ConfigError naming the file and line.
 */
export function loadMcpServices(
  path: string,
  env: Record<string, string | undefined> = process.env,
): McpServiceConfig[] {
  return parseMcpServices(readConfigFile(path, 'MCP services file'), path, env);
}

/** Parses the text of an MCP services file; `path` is only used in error messages. */
export function parseMcpServices(
  text: string,
  path: string,
  env: Record<string, string | undefined>,
): McpServiceConfig[] {
  // Placeholders are swapped for plain tokens before parsing: `env: { ID: ${ID} }` (DESIGN.md §5) is
  // not valid YAML as written, and a value with `#` or `: ` in it must not change the document.
  const { text: tokenised, values } = tokenisePlaceholders(text, path, env);
  const parsed = parseYaml(tokenised, path);
  restorePlaceholders(parsed.doc.contents, values);
  const file = validateYaml(parsed, fileSchema, path);
  return Object.entries(file.services)
    .map(([name, service]) => ({ ...service, name }))
    .filter((service) => service.enabled);
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const TOKEN = /DESKHANDVAR(\d+)X/g;

function tokenisePlaceholders(
  text: string,
  path: string,
  env: Record<string, string | undefined>,
): { text: string; values: string[] } {
  const values: string[] = [];
  const lines = text.split('\n');
  const out = lines.map((line, index) => {
    if (/^\s*#/.test(line)) return line;
    return line.replace(PLACEHOLDER, (whole) => {
      try {
        values.push(interpolate(whole, env));
      } catch (error) {
        if (!(error instanceof MissingVariableError)) throw error;
        const service = serviceAbove(lines, index);
        const inService = service ? ` in service "${service}"` : '';
        throw new ConfigError(
          `${path}:${index + 1}: \${${error.variable}} is not set${inService}; set ${error.variable} or write \${${error.variable}:-default}`,
        );
      }
      return `DESKHANDVAR${values.length - 1}X`;
    });
  });
  return { text: out.join('\n'), values };
}

/** The service a line belongs to: the nearest key above it at the indentation of `services:`'s children. */
function serviceAbove(lines: string[], index: number): string | undefined {
  const servicesLine = lines.findIndex((line) => /^services:\s*(#.*)?$/.test(line));
  if (servicesLine < 0 || servicesLine >= index) return undefined;
  const firstChild = lines.slice(servicesLine + 1).find((line) => line.trim() !== '' && !/^\s*#/.test(line));
  const indent = firstChild ? (/^(\s*)/.exec(firstChild)?.[1]?.length ?? 0) : 0;
  for (let i = index; i > servicesLine; i--) {
    const line = lines[i] ?? '';
    const match = /^(\s*)([A-Za-z0-9_-]+):/.exec(line);
    if (match && match[1]?.length === indent) return match[2];
  }
  return undefined;
}

function restorePlaceholders(node: unknown, values: string[]): void {
  if (isMap(node)) {
    for (const pair of node.items) restorePlaceholders(pair.value, values);
  } else if (isSeq(node)) {
    for (const item of node.items) restorePlaceholders(item, values);
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('DESKHANDVAR')) {
    const original = node.value;
    const replaced = original.replace(TOKEN, (_token, index: string) => values[Number(index)] ?? '');
    // `timeout_ms: ${T:-5000}` should become the number 5000, as if it had been written plainly.
    const whole = /^DESKHANDVAR\d+X$/.test(original);
    if (whole && /^-?\d+(\.\d+)?$/.test(replaced)) node.value = Number(replaced);
    else if (whole && (replaced === 'true' || replaced === 'false')) node.value = replaced === 'true';
    else node.value = replaced;
  }
}
