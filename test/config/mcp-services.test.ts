import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { interpolate } from '../../src/config/interpolate.js';
import { loadMcpServices, parseMcpServices } from '../../src/config/mcp-services.js';

const DESIGN_EXAMPLE = `services:
  notion:
    transport: http            # http (streamable HTTP) | sse | websocket | stdio
    url: \${NOTION_MCP_URL:-http://localhost:8002/mcp}
    auth_token: \${NOTION_AUTH_TOKEN}
    timeout_ms: 30000
    retry_attempts: 3
    profile: notion-official
  helpscout:
    transport: stdio
    command: npx
    args: [deskhand, mcp, helpscout]
    env: { HELPSCOUT_APP_ID: \${HELPSCOUT_APP_ID} }
    timeout_ms: 15000
    retry_attempts: 2
`;

function errorOf(text: string, env: Record<string, string> = {}): string {
  try {
    parseMcpServices(text, 'mcp_services.yml', env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('interpolation', () => {
  it('replaces ${VAR} and ${VAR:-default}, treating empty as unset for the default', () => {
    expect(interpolate('a ${X} b', { X: '1' })).toBe('a 1 b');
    expect(interpolate('${X:-fallback}', {})).toBe('fallback');
    expect(interpolate('${X:-fallback}', { X: '' })).toBe('fallback');
    expect(interpolate('${X:-}', {})).toBe('');
    expect(interpolate('no placeholders $X {Y}', {})).toBe('no placeholders $X {Y}');
  });

  it('throws for an unset variable with no default', () => {
    expect(() => interpolate('${MISSING}', {})).toThrow('${MISSING} is not set');
  });
});

describe('the MCP services file', () => {
  it('reads the example of DESIGN.md with defaults filled in', () => {
    const services = parseMcpServices(DESIGN_EXAMPLE, 'mcp_services.yml', {
      NOTION_AUTH_TOKEN: 'tok',
      HELPSCOUT_APP_ID: 'app',
    });
    expect(services).toHaveLength(2);
    const [notion, helpscout] = services;
    expect(notion).toMatchObject({
      name: 'notion',
      transport: 'http',
      url: 'http://localhost:8002/mcp',
      auth_token: 'tok',
      timeout_ms: 30000,
      retry_attempts: 3,
      profile: 'notion-official',
    });
    expect(helpscout).toMatchObject({
      name: 'helpscout',
      transport: 'stdio',
      command: 'npx',
      args: ['deskhand', 'mcp', 'helpscout'],
      env: { HELPSCOUT_APP_ID: 'app' },
      profile: 'deskhand',
      max_concurrency: 8,
    });
  });

  it('names the variable, the service and the line of an unset ${VAR}', () => {
    expect(errorOf(DESIGN_EXAMPLE, { HELPSCOUT_APP_ID: 'x' })).toBe(
      'mcp_services.yml:5: ${NOTION_AUTH_TOKEN} is not set in service "notion"; set NOTION_AUTH_TOKEN or write ${NOTION_AUTH_TOKEN:-default}',
    );
  });

  it('turns a numeric placeholder into a number', () => {
    const [service] = parseMcpServices(
      'services:\n  kb:\n    transport: stdio\n    command: node\n    timeout_ms: ${KB_TIMEOUT:-2500}\n',
      'f.yml',
      {},
    );
    expect(service?.timeout_ms).toBe(2500);
  });

  it('points at the line of a bad value', () => {
    expect(errorOf('services:\n  kb:\n    transport: carrier-pigeon\n    command: node\n')).toBe(
      'mcp_services.yml:3: transport must be one of http, sse, websocket, stdio, builtin (services.kb.transport)',
    );
    expect(errorOf('services:\n  kb:\n    transport: stdio\n')).toMatch(
      /^mcp_services\.yml:2: a stdio service needs a command/,
    );
    expect(
      errorOf('services:\n  kb:\n    transport: http\n    url: http://x/mcp\n    timeout_ms: -5\n'),
    ).toMatch(/^mcp_services\.yml:5: /);
    expect(errorOf('services:\n  kb:\n    transport: stdio\n    command: node\n    colour: blue\n')).toMatch(
      /^mcp_services\.yml:2: .*colour/,
    );
  });

  it('reports broken YAML with its line', () => {
    expect(errorOf('services:\n  kb:\n    transport: [stdio\n')).toMatch(
      /^mcp_services\.yml:\d+: invalid YAML/,
    );
  });

  it('names a file it cannot read', () => {
    expect(() => loadMcpServices('/nonexistent/mcp_services.yml')).toThrow(
      '/nonexistent/mcp_services.yml: cannot read the MCP services file (ENOENT)',
    );
  });

  it('loads from disk and skips disabled services', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskhand-'));
    const path = join(dir, 'mcp_services.yml');
    writeFileSync(
      path,
      'services:\n  kb:\n    transport: stdio\n    command: node\n  old:\n    transport: stdio\n    command: node\n    enabled: false\n',
    );
    expect(loadMcpServices(path, {}).map((service) => service.name)).toEqual(['kb']);
  });
});
