import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/support/analysis.js';

describe('reading text', () => {
  it('reads an IPv4 address as the words "ip address", not as four numbers', () => {
    expect(analyse('can i point a webhook at http://10.0.0.5 on our network')).toEqual(
      analyse('can i point a webhook at http:// ip address on our network'),
    );
    expect(analyse('http://10.0.0.5')).not.toContain('10');
    // Versions and prices are not addresses.
    expect(analyse('version 1.2.3 costs 4.50')).toEqual(['version', '1', '2', '3', 'price', '4', '50']);
  });
});
