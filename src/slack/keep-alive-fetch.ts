import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/**
 * How long an idle connection is kept for the next call. An agent with no `timeout` keeps idle
 * connections forever and ignores the server's `Keep-Alive: timeout=N` (Node applies the hint
 * only to lower a timeout that is set), so it would send a request down a connection the server
 * is closing at that moment: a reset, and an answer card lost. With it, a connection is dropped
 * after this long idle, or a second before the server said it would drop it.
 */
const IDLE_CONNECTION_MS = 30_000;

/** Connections to Slack (the Web API, response_url) kept open between calls. */
const agentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS, scheduling: 'lifo' } as const;
const agents = { 'http:': new HttpAgent(agentOptions), 'https:': new HttpsAgent(agentOptions) };

/**
 * The errors of a request sent down a kept connection that the server closed before reading it:
 * nothing reached the server, so sending it again on a new connection is safe (what Node's docs
 * advise for `request.reusedSocket`).
 */
const CLOSED_UNDER_US = new Set(['ECONNRESET', 'EPIPE']);
/** Sends on other connections after such an error: more kept connections may have been closed at once. */
const RETRIES_ON_CLOSED = 2;

/** Statuses whose response has no body: a Response built with one would throw. */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * `fetch` for Bolt and the Web API client (their `fetch` option), on node:http with keep-alive
 * agents. Every answer card costs one response_url POST and often a Web API call; Node's built-in
 * fetch (undici's WHATWG streams) spent about twice the CPU of node:http on each in the throughput
 * profile. The result is a real `Response`, so every caller reads it as before. What this does not
 * handle the way fetch does (a FormData body such as a file upload, a redirect to follow) goes to
 * the built-in fetch; `redirect: 'error'`, which the Web API client sets on every call, and
 * `'manual'` are answered here as fetch answers them.
 */
export const keepAliveFetch: FetchFunction = (input, init) => {
  const body = init?.body;
  const url = input instanceof URL ? input : new URL(input);
  const agent =
    url.protocol === 'https:' ? agents['https:'] : url.protocol === 'http:' ? agents['http:'] : undefined;
  if (!agent || (body !== undefined && typeof body !== 'string')) return builtinFetch(input, init);
  const redirect = init?.redirect ?? 'follow';
  const headers: Record<string, string> = { ...init?.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const attempt = (
    resolve: (response: FetchResponse | Promise<FetchResponse>) => void,
    reject: (error: unknown) => void,
    retriesLeft = RETRIES_ON_CLOSED,
  ) => {
    let answered = false;
    const request = send(
      url,
      { method: init?.method ?? 'GET', headers, agent, ...(init?.signal ? { signal: init.signal } : {}) },
      (incoming) => {
        answered = true;
        const status = incoming.statusCode ?? 0;
        if (status >= 300 && status < 400 && incoming.headers.location && redirect !== 'manual') {
          incoming.resume();
          // As fetch does: `error` (what the Web API client asks) fails, `follow` is followed.
          if (redirect === 'error')
            reject(new TypeError(`fetch failed: redirected to ${incoming.headers.location}`));
          else resolve(builtinFetch(input, init));
          return;
        }
        readAll(incoming).then((buffer) => resolve(toResponse(url, incoming, buffer)), reject);
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      const closedUnderUs =
        request.reusedSocket && !answered && !init?.signal?.aborted && CLOSED_UNDER_US.has(error.code ?? '');
      // The failed connection has left the pool: the next attempt takes another kept one or a new one.
      if (closedUnderUs && retriesLeft > 0) attempt(resolve, reject, retriesLeft - 1);
      else reject(error);
    });
    request.end(body);
  };
  return new Promise<FetchResponse>(attempt);
};

/**
 * Node's own fetch, for what `keepAliveFetch` leaves to it. (The casts here and below: this
 * project's TypeScript lib has no DOM iterables, so `Headers` lacks the `entries` the Web API
 * client's types name; at run time it is Node's full `Headers`.)
 */
const builtinFetch: FetchFunction = (input, init) => fetch(input, init) as unknown as Promise<FetchResponse>;

function readAll(incoming: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    incoming.on('error', reject);
    incoming.on('aborted', () => reject(new Error('the response was cut off')));
  });
}

function toResponse(url: URL, incoming: IncomingMessage, buffer: Buffer): FetchResponse {
  const status = incoming.statusCode ?? 0;
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else headers.set(name, value);
  }
  const response = new Response(
    NULL_BODY.has(status) ? null : (buffer as unknown as ConstructorParameters<typeof Response>[0]),
    {
      status,
      statusText: incoming.statusMessage ?? '',
      headers,
    },
  );
  // As fetch's: the Web API client reads it to recognise one method's response.
  Object.defineProperty(response, 'url', { value: url.toString() });
  return response as unknown as FetchResponse;
}

/** How every Web API client of the bot talks to Slack, apart from its URL. */
export const slackClientDefaults = {
  // Slack's Retry-After is honoured by the WebClient; a bounded number of tries keeps a dead API from holding work forever.
  retryConfig: { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 5000, randomize: true },
  fetch: keepAliveFetch,
};
