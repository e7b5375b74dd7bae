import { describe, expect, it } from 'vitest';
import { loadMcpServices } from '../../src/config/mcp-services.js';

describe('mcp_services.example.yml', () => {
  it('is a valid services file once its variables are set', () => {
    const services = loadMcpServices('mcp_services.example.yml', { NOTION_TOKEN: 'secret_x' });
    expect(services.map((service) => [service.name, service.transport])).toEqual([
      ['kb', 'builtin'],
      ['notion', 'stdio'],
      ['helpscout', 'http'],
    ]);
    expect(services[2]?.url).toBe('http://localhost:8003/mcp');
  });

  it('names NOTION_TOKEN when it is not set', () => {
    expect(() => loadMcpServices('mcp_services.example.yml', {})).toThrow(
      /\$\{NOTION_TOKEN\} is not set in service "notion"/,
    );
  });
});
