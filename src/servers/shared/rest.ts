import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A failure talking to an outside API, with what the MCP client needs to decide on a retry. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly retryable: boolean,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  /** Name of the service, for messages: "Notion", "HelpScout". */
  service: string;
  /** The header that says how many seconds to wait after a 429. */
  retryAfterHeader: string;
  /** How many times a 429 is retried inside one call, when the wait is short enough. */
  rateLimitRetries?: number;
  /** The longest wait honoured inside a call; past it the caller is told to come back later. */
  maxWaitMs?: number;
  timeoutMs?: number;
  /** Turns an error response into the message a person can act on. */
  describeError: (status: number, body: unknown) => string;
}

/**
 * One JSON request to an outside API: honours rate limits (429 with a retry header) within a
 * bounded wait, and turns every failure into an ApiError that says whether trying later can help.
 */
export async function requestJson<T>(
  url: string,
  init: RequestInit,
  options: RequestOptions,
): Promise<ApiResponse<T>> {
  const retries = options.rateLimitRetries ?? 2;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? 'did not answer in time'
          : `could not be reached (${(error as Error).message})`;
      throw new ApiError(`${options.service} ${reason}`, 0, true);
    }
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok) return { status: response.status, headers: response.headers, body: body as T };
    if (response.status === 429) {
      const waitSeconds = Number(
        response.headers.get(options.retryAfterHeader) ?? response.headers.get('retry-after') ?? '1',
      );
      const waitMs = (Number.isFinite(waitSeconds) ? waitSeconds : 1) * 1000;
      if (attempt < retries && waitMs <= (options.maxWaitMs ?? 5_000)) {
        await new Promise((resolve) => setTimeout(resolve, waitMs));
        continue;
      }
      throw new ApiError(
        `${options.service} is rate limiting requests; retry after ${Math.ceil(waitMs / 1000)} s`,
        429,
        true,
        Math.ceil(waitMs / 1000),
      );
    }
    throw new ApiError(options.describeError(response.status, body), response.status, response.status >= 500);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A tool result carrying `structuredContent` and the same JSON as text. */
export function jsonResult(structuredContent: Record<string, unknown>): CallToolResult {
  return { structuredContent, content: [{ type: 'text', text: JSON.stringify(structuredContent) }] };
}

/** An isError result a person can act on; `retryable` tells deskhand's MCP layer whether to retry. */
export function errorResult(message: string, retryable = false, retryAfterSeconds?: number): CallToolResult {
  const error = {
    message,
    retryable,
    ...(retryAfterSeconds !== undefined ? { retry_after_s: retryAfterSeconds } : {}),
  };
  return { isError: true, structuredContent: { error }, content: [{ type: 'text', text: message }] };
}

/** The tool result for any error a tool's handler caught. */
export function resultForError(error: unknown, service: string): CallToolResult {
  if (error instanceof ApiError) return errorResult(error.message, error.retryable, error.retryAfterSeconds);
  return errorResult(`${service} failed: ${(error as Error).message}`);
}

/** About `max` characters around the first query term found in `text`, on word boundaries. */
export function snippetAround(text: string, query: string, max = 240): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const lower = clean.toLowerCase();
  const terms = query
    .toLowerCase()
    .split(/\W+/)
    .filter((term) => term.length > 2);
  const hit =
    terms
      .map((term) => lower.indexOf(term))
      .filter((index) => index >= 0)
      .sort((a, b) => a - b)[0] ?? 0;
  let start = Math.max(0, hit - Math.floor(max / 3));
  if (start > 0) start = clean.indexOf(' ', start) + 1 || start;
  let end = Math.min(clean.length, start + max);
  if (end < clean.length) end = clean.lastIndexOf(' ', end) > start ? clean.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '…' : ''}${clean.slice(start, end)}${end < clean.length ? '…' : ''}`;
}
