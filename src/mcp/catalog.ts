import type { ToolInfo } from './types.js';

export interface CatalogEntry {
  service: string;
  tool: string;
}

/**
 * Which service offers which tool. A tool offered by one service is reached by its name; one
 * offered by several is reached as `service.tool`.
 */
export class ToolCatalog {
  private readonly byName = new Map<string, CatalogEntry[]>();

  constructor(services: ReadonlyArray<{ name: string; tools: readonly ToolInfo[] }>) {
    for (const service of services) {
      for (const tool of service.tools) {
        const entries = this.byName.get(tool.name) ?? [];
        entries.push({ service: service.name, tool: tool.name });
        this.byName.set(tool.name, entries);
      }
    }
  }

  /** Every reachable name: plain where unique, `service.tool` where shared. */
  names(): string[] {
    const names: string[] = [];
    for (const [name, entries] of this.byName) {
      if (entries.length === 1) names.push(name);
      else names.push(...entries.map((entry) => `${entry.service}.${entry.tool}`));
    }
    return names.sort();
  }

  /** Resolves a name to the service and tool; throws a clear error for an unknown or ambiguous name. */
  resolve(name: string): CatalogEntry {
    const direct = this.byName.get(name);
    if (direct?.length === 1) return direct[0] as CatalogEntry;
    if (direct && direct.length > 1) {
      throw new Error(
        `tool "${name}" is offered by ${direct.map((entry) => entry.service).join(' and ')}: call it as ${direct.map((entry) => `${entry.service}.${name}`).join(' or ')}`,
      );
    }
    const dot = name.indexOf('.');
    if (dot > 0) {
      const service = name.slice(0, dot);
      const tool = name.slice(dot + 1);
      if (this.byName.get(tool)?.some((entry) => entry.service === service)) return { service, tool };
    }
    throw new Error(`no MCP service offers a tool named "${name}"`);
  }

  servicesOffering(tool: string): string[] {
    return (this.byName.get(tool) ?? []).map((entry) => entry.service);
  }
}
