/**
 * A value with every object's keys sorted, so that two digests compare as data (or as JSON) whatever
 * order a hash aggregate gave their breakdowns. Dates are kept as they are.
 */
export function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, inner]) => [key, withSortedKeys(inner)]),
    );
  return value;
}
