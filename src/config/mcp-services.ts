import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { interpolate, MissingVariableError } from './interpolate.js';

const PROFILES = ['deskhand', 'notion-official'] as const;

const serviceSchema = z
  .object({
    transport: z.enum(['http', 'sse', 'websocket', 'stdio'], {
      error: 'transport must be one of http, sse, websocket, stdio',
    }),
    url: z.url('url must be a URL').optional(),
    command: z.string().min(1).optional(),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    auth_token: z.string().optional(),
    headers: z.record(z.string(), z.string()).default({}),
    timeout_ms: z.number().int().positive().max(300_000).default(10_000),
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
    if (service.transport !== 'stdio' && !service.url) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: `a ${service.transport} service needs a url` });
    }
  });

const fileSchema = z
  .object({
    services: z.record(z.string().regex(/^[a-z][a-z0-9_-]*$/, 'service names are lowercase letters, digits, - and _'), serviceSchema),
  })
  .strict();

export type McpServiceConfig = z.infer<typeof serviceSchema> & { name: string };
export type McpProfile = (typeof PROFILES)[number];

/**
 * Reads the MCP services file (DESIGN.md §5): YAML, `${VAR}` / `${VAR:-default}` interpolated in
 * every string. Any mistake throws a ConfigError naming the file and line.
 */
export function loadMcpServices(path: string, env: Record<string, string | undefined> = process.env): McpServiceConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read the MCP services file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseMcpServices(text, path, env);
}

/** Parses the text of an MCP services file; `path` is only used in error messages. */
export function parseMcpServices(text: string, path: string, env: Record<string, string | undefined>): McpServiceConfig[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);

  const firstError = doc.errors[0];
  if (firstError) {
    throw new ConfigError(`${path}:${lineOf(firstError.pos[0])}: invalid YAML (${firstError.message.split('\n')[0]})`);
  }

  interpolateNode(doc.contents, [], (node, keyPath, error) => {
    const service = keyPath[0] === 'services' && keyPath[1] ? ` in service "${keyPath[1]}"` : '';
    throw new ConfigError(
      `${path}:${lineOf(node.range?.[0])}: \${${error.variable}} is not set${service}; set ${error.variable} or write \${${error.variable}:-default}`,
    );
  }, env);

  const parsed = fileSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const issuePath = issue?.path ?? [];
    const node = nodeAt(doc.contents, issuePath);
    const where = issuePath.length ? ` (${issuePath.join('.')})` : '';
    throw new ConfigError(`${path}:${lineOf(node?.range?.[0])}: ${issue?.message ?? 'invalid'}${where}`);
  }
  return Object.entries(parsed.data.services)
    .map(([name, service]) => ({ ...service, name }))
    .filter((service) => service.enabled);
}

function interpolateNode(
  node: unknown,
  keyPath: string[],
  onMissing: (node: YamlNode, keyPath: string[], error: MissingVariableError) => never,
  env: Record<string, string | undefined>,
): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      interpolateNode(pair.value, [...keyPath, key], onMissing, env);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => interpolateNode(item, [...keyPath, String(index)], onMissing, env));
  } else if (isScalar(node) && typeof node.value === 'string') {
    try {
      const replaced = interpolate(node.value, env);
      node.value = coerceScalar(replaced, node.value);
    } catch (error) {
      if (error instanceof MissingVariableError) onMissing(node, keyPath, error);
      throw error;
    }
  }
}

/** `timeout_ms: ${T:-5000}` should become the number 5000, as if it had been written plainly. */
function coerceScalar(replaced: string, original: string): string | number | boolean {
  if (replaced === original) return replaced;
  if (/^-?\d+(\.\d+)?$/.test(replaced) && /^\$\{[^}]+\}$/.test(original)) return Number(replaced);
  if ((replaced === 'true' || replaced === 'false') && /^\$\{[^}]+\}$/.test(original)) return replaced === 'true';
  return replaced;
}

function nodeAt(root: unknown, path: PropertyKey[]): YamlNode | undefined {
  let node: unknown = root;
  let last: YamlNode | undefined = isMap(root) ? root : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) return last;
      last = (pair.value as YamlNode | null) ?? (pair.key as YamlNode);
      node = pair.value;
    } else if (isSeq(node)) {
      node = node.items[Number(key)];
      if (node) last = node as YamlNode;
    } else {
      return last;
    }
  }
  return last;
}
