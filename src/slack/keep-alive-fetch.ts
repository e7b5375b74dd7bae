import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { FetchFunction } from '@slack/web-api';

type FetchResponse = Awaited<ReturnType<FetchFunction>>;

/** Connections to Slack (the Web API, response_url) kept open between calls. */
const agents = { 'http:': new HttpAgent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

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
  return new Promise<FetchResponse>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      url,
      { method: init?.method ?? 'GET', headers, agent, ...(init?.signal ? { signal: init.signal } : {}) },
      (incoming) => {
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
    request.on('error', reject);
    request.end(body);
  });
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
