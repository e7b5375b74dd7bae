import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the Unix time (seconds) at which a request to a deskhand MCP server was signed. */
export const TIMESTAMP_HEADER = 'x-deskhand-timestamp';
/** Header carrying `v1=<hex HMAC-SHA256>` of `v1:<timestamp>:<raw body>`. */
export const SIGNATURE_HEADER = 'x-deskhand-signature';
/** How far a request's timestamp may be from the server's clock, either way, before it counts as a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

/**
 * Returns the `X-Deskhand-Signature` header value (`v1=<hex>`) for a request body signed at
 * `timestamp` (Unix seconds). The body must be the exact bytes sent; for a GET or DELETE it is empty.
 */
export function signMcpRequest(
  secret: string,
  timestamp: number | string,
  body: string | Uint8Array,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`v1:${timestamp}:`);
  hmac.update(body);
  return `v1=${hmac.digest('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureInput {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string | Uint8Array;
  /** Current Unix time in seconds; the clock by default. */
  nowSeconds?: number;
}

/** Says whether a request carries a fresh, valid deskhand signature, and if not, why. */
export function verifyMcpSignature(input: SignatureInput): SignatureCheck {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) {
    return { ok: false, reason: 'missing X-Deskhand-Timestamp or X-Deskhand-Signature header' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    return { ok: false, reason: 'X-Deskhand-Timestamp must be Unix time in seconds' };
  }
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'X-Deskhand-Timestamp is more than 5 minutes from the server clock' };
  }
  const expected = Buffer.from(signMcpRequest(input.secret, timestamp, input.body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'X-Deskhand-Signature does not match the request body' };
  }
  return { ok: true };
}
