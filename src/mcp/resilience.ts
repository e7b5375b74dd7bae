import {
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';
import { TransientToolError } from './errors.js';
import type { BreakerState, McpServiceConfig } from './types.js';

export interface ServicePolicy {
  /** Runs one logical call: bounded concurrency, breaker, retries of transient failures, a deadline per attempt. */
  execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  breakerState(): BreakerState;
}

export interface PolicyOptions {
  /** Consecutive failures that open the breaker. */
  breakerThreshold?: number;
  /** How long the breaker stays open before letting one call through. */
  halfOpenAfterMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The resilience policy of one service, built from its config with cockatiel. */
export function createServicePolicy(service: McpServiceConfig, options: PolicyOptions = {}): ServicePolicy {
  const isTransient = (error: Error) =>
    error instanceof TransientToolError || error instanceof TaskCancelledError;
  const retryPolicy = retry(handleWhen(isTransient), {
    maxAttempts: service.retry_attempts,
    backoff: new ExponentialBackoff({
      initialDelay: options.initialBackoffMs ?? 100,
      maxDelay: options.maxBackoffMs ?? 2_000,
    }),
  });
  const breaker = circuitBreaker(handleWhen(isTransient), {
    halfOpenAfter: options.halfOpenAfterMs ?? 10_000,
    breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
  });
  // abortOnReturn off: the MCP SDK never removes its abort listener from a request's signal, so
  // aborting it after the answer came (cockatiel's default) sent the server a
  // notifications/cancelled for every answered call: one more POST per call over HTTP.
  const perAttemptTimeout = timeout(service.timeout_ms, {
    strategy: TimeoutStrategy.Aggressive,
    abortOnReturn: false,
  });
  const concurrency = bulkhead(service.max_concurrency, service.max_concurrency * 16);
  const policy: IPolicy = wrap(concurrency, retryPolicy, breaker, perAttemptTimeout);

  return {
    async execute(fn, signal) {
      return policy.execute(({ signal: attemptSignal }) => fn(attemptSignal), signal);
    },
    breakerState() {
      switch (breaker.state) {
        case CircuitState.Open:
        case CircuitState.Isolated:
          return 'open';
        case CircuitState.HalfOpen:
          return 'half-open';
        default:
          return 'closed';
      }
    },
  };
}
