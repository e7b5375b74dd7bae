import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDeskhand, type TestDeskhand } from '../harness/deskhand.js';
import { signSlackRequest } from '../harness/slack-driver.js';

/** One keep-alive socket for every request, as a load balancer or proxy reuses its upstream connections. */
function post(
  agent: Agent,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('a refused request does not break the next one on the same connection', () => {
  let t: TestDeskhand;
  beforeAll(async () => {
    t = await startTestDeskhand();
  });
  afterAll(async () => {
    await t?.stop();
  });

  function signedHeaders(body: string): Record<string, string> {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signSlackRequest(t.slack.signingSecret, timestamp, body),
    };
  }

  it('answers a 2 MB slash command with 413, then the next command on a kept-alive socket with 200', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = `${t.deskhand.url}/slack/events`;
      const huge = `command=%2Fsupport&user_id=U0ASKER&text=${'a'.repeat(2 * 1024 * 1024)}`;
      const refused = await post(agent, url, huge, signedHeaders(huge));
      expect(refused.status).toBe(413);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'payload_too_large' });

      const normal = `command=%2Fsupport&user_id=U0ASKER&channel_id=C0GENERAL&text=${encodeURIComponent('How do I reset my password?')}`;
      const answered = await post(agent, url, normal, signedHeaders(normal));
      expect(answered.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a chunked body that grows past the limit, and the next request still goes through', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = `${t.deskhand.url}/slack/events`;
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers: signedHeaders('x') }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        for (let i = 0; i < 32; i++) req.write('a'.repeat(64 * 1024));
        req.end();
      });
      expect(status).toBe(413);
      const health = await new Promise<number>((resolve, reject) => {
        request(`${t.deskhand.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', reject)
          .end();
      });
      expect(health).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});
