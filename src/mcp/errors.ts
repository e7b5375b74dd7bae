import type { ToolCallOutcome, ToolResult } from './types.js';

/** A failure worth trying again: the server said so (rate limit, 5xx), or the connection went away. */
export class TransientToolError extends Error {
  constructor(
    message: string,
    readonly outcome: ToolCallOutcome,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TransientToolError';
  }
}

/** The service is not connected right now (starting, reconnecting after a crash). */
export class ServiceUnavailableError extends Error {
  constructor(service: string, reason?: string) {
    super(`${service} is not connected${reason ? ` (${reason})` : ''}`);
    this.name = 'ServiceUnavailableError';
  }
}

/** The first text block of a result: where servers put their human-readable message. */
export function resultText(result: ToolResult): string {
  return result.content.find((block) => block.type === 'text' && typeof block.text === 'string')?.text ?? '';
}

/**
 * An isError result that the server marked as retryable (`structuredContent.error.retryable`),
 * with the wait it asked for. Undefined for an ordinary tool error, which is never retried.
 */
export function retryableToolError(
  result: ToolResult,
): { message: string; retryAfterMs?: number; rateLimited: boolean } | undefined {
  if (!result.isError) return undefined;
  const error = result.structuredContent?.error as
    | { retryable?: unknown; retry_after_s?: unknown; message?: unknown }
    | undefined;
  if (error?.retryable !== true) return undefined;
  const retryAfter = typeof error.retry_after_s === 'number' ? error.retry_after_s * 1000 : undefined;
  const message =
    typeof error.message === 'string' ? error.message : resultText(result) || 'temporary failure';
  return {
    message,
    retryAfterMs: retryAfter,
    rateLimited: retryAfter !== undefined || /rate.?limit|429/i.test(message),
  };
}

/** Whether an error from the SDK or the transport means the connection failed (not the tool). */
export function isConnectionFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  return (
    code === -32000 || // ConnectionClosed
    code === -32001 || // RequestTimeout
    /connection closed|not connected|ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|EPIPE|terminated/i.test(
      message,
    )
  );
}
