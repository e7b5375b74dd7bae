/**
 * Open-loop load: requests leave on a fixed schedule whatever the server's speed, as Slack sends
 * them, so a slow server shows up as latency instead of as a slower generator. Runs in its own
 * process (see load-worker.ts) so the generator does not share the server's event loop.
 */
import { Agent, request } from 'node:http';

export interface OpenLoopOptions {
  url: string;
  ratePerSecond: number;
  durationMs: number;
  /** Builds the body and headers of request number i (signing happens here). */
  makeRequest: (i: number) => { body: string; headers: Record<string, string> };
  /** Give up on a request after this long (counted as an error). */
  timeoutMs?: number;
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  errors: number;
  latenciesMs: number[];
  /** When request i left, in epoch milliseconds (comparable across processes on one machine). */
  sentAtMs: number[];
  /** How far behind schedule the generator fell at worst: large values mean the generator, not the server, was the limit. */
  maxScheduleLagMs: number;
}

export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const target = new URL(options.url);
  const total = Math.max(1, Math.round((options.ratePerSecond * options.durationMs) / 1000));
  const intervalMs = 1000 / options.ratePerSecond;
  const latencies: number[] = [];
  const sentAtMs: number[] = [];
  let ok = 0;
  let errors = 0;
  let maxLag = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();

  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxLag = Math.max(maxLag, performance.now() - due);
    const { body, headers } = options.makeRequest(i);
    const sentAt = performance.now();
    sentAtMs[i] = performance.timeOrigin + sentAt;
    inFlight.push(
      new Promise<void>((resolve) => {
        const req = request(
          {
            agent,
            host: target.hostname,
            port: target.port,
            path: target.pathname,
            method: 'POST',
            headers: { ...headers, 'content-length': Buffer.byteLength(body) },
            timeout: options.timeoutMs ?? 10_000,
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - sentAt);
              if (res.statusCode && res.statusCode < 300) ok++;
              else errors++;
              resolve();
            });
          },
        );
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end(body);
      }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { sent: total, ok, errors, latenciesMs: latencies, sentAtMs, maxScheduleLagMs: maxLag };
}
