import type { IncomingMessage, ServerResponse } from 'node:http';

/** How much of a refused body is read and thrown away before the connection is simply cut. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Reads the whole request body, or answers 'too_large' as soon as it passes `limit`. A body that
 * is too large keeps being read and thrown away (never stored), so the client can finish sending
 * and read the refusal instead of seeing its connection reset.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    discardRest(req, 0);
    return Promise.resolve('too_large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      discardRest(req, size);
      resolve('too_large');
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', reject);
  });
}

/**
 * Answers 413 and closes the connection once the answer is sent: the rest of the refused body may
 * still be on the wire, and a keep-alive client (a proxy, a load balancer) must not send its next
 * request behind it on the same socket.
 */
export function refuseTooLarge(res: ServerResponse, limit: number, body?: Record<string, unknown>): void {
  const text = JSON.stringify(
    body ?? { error: 'payload_too_large', message: `bodies over ${limit} bytes are refused` },
  );
  res.shouldKeepAlive = false;
  res.writeHead(413, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  res.end(text);
}

function discardRest(req: IncomingMessage, alreadyRead: number): void {
  let discarded = alreadyRead;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) req.destroy();
  });
  req.resume();
}
