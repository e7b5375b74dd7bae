import { readFileSync } from 'node:fs';
import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
} from 'yaml';
import type { z } from 'zod';
import { ConfigError } from './errors.js';

/** Reads a configuration file, or throws one ConfigError naming it and why it cannot be read. */
export function readConfigFile(path: string, description: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${path}: cannot read the ${description} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

export interface ParsedYaml {
  doc: Document.Parsed;
  /** The 1-based line of a character offset in the text. */
  lineOf(offset: number | undefined): number;
}

/** Parses YAML keeping line numbers; broken YAML throws a ConfigError with `path:line`. */
export function parseYaml(text: string, path: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  const firstError = doc.errors[0];
  if (firstError) {
    throw new ConfigError(
      `${path}:${lineOf(firstError.pos[0])}: invalid YAML (${firstError.message.split('\n')[0]})`,
    );
  }
  return { doc, lineOf };
}

/** Validates a parsed document with a zod schema; the first issue throws a ConfigError at its line. */
export function validateYaml<S extends z.ZodType>(parsed: ParsedYaml, schema: S, path: string): z.infer<S> {
  const result = schema.safeParse(parsed.doc.toJS() ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const issuePath = issue?.path ?? [];
  const node = nodeAt(parsed.doc.contents, issuePath);
  const where = issuePath.length ? ` (${issuePath.join('.')})` : '';
  throw new ConfigError(`${path}:${parsed.lineOf(node?.range?.[0])}: ${issue?.message ?? 'invalid'}${where}`);
}

/** The node to point at for an error at `path`: the value if present, else the key of its nearest parent. */
function nodeAt(root: unknown, path: PropertyKey[]): YamlNode | undefined {
  let node: unknown = root;
  let last: YamlNode | undefined = isMap(root) ? root : undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) return last;
      const value = pair.value as YamlNode | null;
      last = value && isScalar(value) ? value : (pair.key as YamlNode);
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
