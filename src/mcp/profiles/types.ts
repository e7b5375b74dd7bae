import type { CreatedTicket, TicketRequest } from '../../support/ports.js';
import type { KnowledgeHit } from '../../support/types.js';
import type { ToolInfo, ToolResult } from '../types.js';

/** How a kind of MCP server offers deskhand's operations: which tools to call, and how to read their answers. */
export interface Profile {
  /** The search tool among the service's tools, if it offers one. */
  searchTool(tools: readonly ToolInfo[]): string | undefined;
  searchArgs(tool: string, query: string, limit: number): Record<string, unknown>;
  parseSearch(tool: string, result: ToolResult, service: string): KnowledgeHit[];
  /** The ticket tool among the service's tools, if it offers one. */
  ticketTool(tools: readonly ToolInfo[]): string | undefined;
  ticketArgs(request: TicketRequest): Record<string, unknown>;
  parseTicket(result: ToolResult): CreatedTicket;
}

/** The JSON a result carries: its structured content, or the JSON in its first text block. */
export function resultJson(result: ToolResult): unknown {
  if (result.structuredContent) return result.structuredContent;
  for (const block of result.content) {
    if (block.type !== 'text' || !block.text) continue;
    try {
      return JSON.parse(block.text);
    } catch {
      // not JSON; try the next block
    }
  }
  return undefined;
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
