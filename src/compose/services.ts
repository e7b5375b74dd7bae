import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AppConfig } from '../config/env.js';
import { loadMcpServices, type McpServiceConfig } from '../config/mcp-services.js';
import { defaultServices } from '../mcp/registry.js';

/** Which MCP services to connect: the services file if there is one, else the built-in knowledge base. */
export function resolveServices(
  config: AppConfig,
  env: Record<string, string | undefined>,
): McpServiceConfig[] {
  const path = config.mcpConfigPath ?? (existsSync('mcp_services.yml') ? 'mcp_services.yml' : undefined);
  if (path) return loadMcpServices(path, env);
  return defaultServices({ knowledgeDir: resolve(config.knowledgeDir) });
}
