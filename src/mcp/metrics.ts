import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The MCP metrics, with the names the seed's dashboards use. */
export interface McpMetrics {
  requests: Counter<'service' | 'tool' | 'outcome'>;
  duration: Histogram<'service' | 'tool' | 'outcome'>;
  activeConnections: Gauge<'service' | 'transport'>;
  toolCalls: Counter<'service' | 'tool' | 'outcome'>;
}

export function createMcpMetrics(registry: Registry): McpMetrics {
  const existing = registry.getSingleMetric('mcp_requests_total');
  if (existing) {
    return {
      requests: existing as Counter<'service' | 'tool' | 'outcome'>,
      duration: registry.getSingleMetric('mcp_request_duration_seconds') as Histogram<
        'service' | 'tool' | 'outcome'
      >,
      activeConnections: registry.getSingleMetric('mcp_active_connections') as Gauge<'service' | 'transport'>,
      toolCalls: registry.getSingleMetric('mcp_tool_calls_total') as Counter<'service' | 'tool' | 'outcome'>,
    };
  }
  return {
    requests: new Counter({
      name: 'mcp_requests_total',
      help: 'MCP tool requests sent, one per attempt',
      labelNames: ['service', 'tool', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'mcp_request_duration_seconds',
      help: 'Duration of MCP tool requests, per attempt',
      labelNames: ['service', 'tool', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    activeConnections: new Gauge({
      name: 'mcp_active_connections',
      help: 'MCP services currently connected',
      labelNames: ['service', 'transport'],
      registers: [registry],
    }),
    toolCalls: new Counter({
      name: 'mcp_tool_calls_total',
      help: 'Logical MCP tool calls (retries included once), by final outcome',
      labelNames: ['service', 'tool', 'outcome'],
      registers: [registry],
    }),
  };
}
