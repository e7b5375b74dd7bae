import { collectDefaultMetrics, Registry } from 'prom-client';

/** A metrics registry per app instance, so tests and several apps in one process do not collide. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
