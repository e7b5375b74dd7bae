export { ToolCatalog } from './catalog.js';
export { defaultServices, McpRegistry, type McpRegistryOptions } from './registry.js';
export type { ServiceStatus, ToolCallOutcome, ToolCallRecord, ToolResult } from './types.js';
