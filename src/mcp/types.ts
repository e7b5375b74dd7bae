import type { McpServiceConfig } from '../config/mcp-services.js';

/** One logical tool call, as stored in `tool_calls`. */
export interface ToolCallRecord {
  service: string;
  tool: string;
  outcome: ToolCallOutcome;
  latencyMs: number;
  attempts: number;
  error?: string;
  questionId?: string;
}

export type ToolCallOutcome = 'ok' | 'tool_error' | 'error' | 'timeout' | 'rate_limited' | 'circuit_open';

/** A tool's answer: the MCP `CallToolResult`, reduced to what deskhand reads. */
export interface ToolResult {
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface ToolInfo {
  name: string;
  description?: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface ServiceStatus {
  service: string;
  transport: string;
  state: ConnectionState;
  tools: string[];
  lastError?: string;
  breaker: BreakerState;
}

export type { McpServiceConfig };
