import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signMcpRequest, verifyMcpSignature } from '../../../src/servers/shared/signing.js';

const secret = 'shh-signing-secret';
const now = 1_700_000_000;
const body = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';

describe('signMcpRequest', () => {
  it('is v1= and the hex HMAC-SHA256 of "v1:<timestamp>:<body>"', () => {
    const expected = createHmac('sha256', secret).update(`v1:${now}:${body}`).digest('hex');
    expect(signMcpRequest(secret, now, body)).toBe(`v1=${expected}`);
    expect(signMcpRequest(secret, String(now), Buffer.from(body))).toBe(`v1=${expected}`);
  });
});

describe('verifyMcpSignature', () => {
  const signed = {
    secret,
    timestamp: String(now),
    signature: signMcpRequest(secret, now, body),
    body,
    nowSeconds: now,
  };

  it('accepts a fresh signature of the exact body', () => {
    expect(verifyMcpSignature(signed)).toEqual({ ok: true });
    expect(verifyMcpSignature({ ...signed, nowSeconds: now + 299 })).toEqual({ ok: true });
  });

  it('rejects a changed body, another secret, and a malformed signature', () => {
    expect(verifyMcpSignature({ ...signed, body: `${body} ` }).ok).toBe(false);
    expect(verifyMcpSignature({ ...signed, secret: 'other' }).ok).toBe(false);
    expect(verifyMcpSignature({ ...signed, signature: 'v1=abc' }).ok).toBe(false);
  });

  it('rejects timestamps more than five minutes away either way', () => {
    expect(verifyMcpSignature({ ...signed, nowSeconds: now + 301 })).toMatchObject({
      ok: false,
      reason: /5 minutes/,
    });
    expect(verifyMcpSignature({ ...signed, nowSeconds: now - 301 }).ok).toBe(false);
  });

  it('rejects missing headers and a timestamp that is not Unix seconds', () => {
    expect(verifyMcpSignature({ ...signed, signature: undefined })).toMatchObject({
      ok: false,
      reason: /missing/,
    });
    expect(verifyMcpSignature({ ...signed, timestamp: '2024-01-01' })).toMatchObject({
      ok: false,
      reason: /Unix/,
    });
  });
});
