import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../src/support/bounded-cache.js';

describe('BoundedCache', () => {
  it('computes a value once per key, an undefined one included', () => {
    const cache = new BoundedCache<string | undefined>(10);
    let computed = 0;
    const lookUp = (key: string) =>
      cache.get(key, () => {
        computed++;
        return key === 'none' ? undefined : key.toUpperCase();
      });
    expect([lookUp('a'), lookUp('a'), lookUp('none'), lookUp('none')]).toEqual([
      'A',
      'A',
      undefined,
      undefined,
    ]);
    expect(computed).toBe(2);
  });

  it('forgets everything once it holds its maximum, and keeps working', () => {
    const cache = new BoundedCache<number>(2);
    let computed = 0;
    const lookUp = (key: string) => cache.get(key, () => ++computed);
    lookUp('a');
    lookUp('b');
    lookUp('c'); // full: a and b are forgotten, c is kept
    expect(lookUp('c')).toBe(3);
    expect(lookUp('a')).toBe(4);
  });
});
