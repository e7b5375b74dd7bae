/**
 * Values computed once per key, kept until `max` keys are held and then forgotten all at once. The
 * texts deskhand reads again and again (knowledge passages, their sentences, titles, words) come
 * back on every question, so clearing the whole map now and then costs one more reading of each,
 * without an LRU's bookkeeping on every lookup.
 */
export class BoundedCache<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly max: number) {}

  /** The value kept for `key`, else `compute()`'s, kept. An undefined value is kept too. */
  get(key: string, compute: () => T): T {
    const kept = this.values.get(key);
    if (kept !== undefined || this.values.has(key)) return kept as T;
    const value = compute();
    if (this.values.size >= this.max) this.values.clear();
    this.values.set(key, value);
    return value;
  }
}
