/** What a lookup found, and how long to keep it before asking again. */
export interface Found<T> {
  value: T;
  keepMs: number;
}

/**
 * Answers of Slack lookups kept per key for as long as each answer says (a failure shorter than a
 * success), and shared while one is in flight, so questions arriving together cost one call. Past
 * `max` keys everything is forgotten at once. `ask` must not reject: a failure is an answer too.
 */
export class ExpiringLookups<T> {
  private readonly kept = new Map<string, { value: Promise<T>; until: number }>();

  constructor(private readonly max: number) {}

  get(key: string, ask: () => Promise<Found<T>>): Promise<T> {
    const kept = this.kept.get(key);
    if (kept && Date.now() < kept.until) return kept.value;
    if (this.kept.size >= this.max) this.kept.clear();
    // Kept with no end while the answer is awaited; then for as long as the answer says.
    const entry: { value: Promise<T>; until: number } = {
      value: ask().then(({ value, keepMs }) => {
        entry.until = Date.now() + keepMs;
        return value;
      }),
      until: Number.POSITIVE_INFINITY,
    };
    this.kept.set(key, entry);
    return entry.value;
  }
}
