import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AppConfig } from '../config/env.js';
import type { ReadinessState } from '../http/health.js';
import { createMetricsRegistry } from '../observability/metrics.js';
import { WorkTracker } from '../runtime/work-tracker.js';

/** What every capability is built with; made before anything is opened. */
export interface Root {
  config: AppConfig;
  logger: Logger;
  metrics: Registry;
  /** Marked shutting down by stop(), so the readiness check fails while work drains. */
  readiness: ReadinessState;
  /** Work in flight, which stop() waits for. */
  work: WorkTracker;
}

/** A fresh root for one start: its own metrics registry, ready, with no work in flight. */
export function createRoot(config: AppConfig, logger: Logger): Root {
  return {
    config,
    logger,
    metrics: createMetricsRegistry(),
    readiness: { shuttingDown: false },
    work: new WorkTracker(),
  };
}
