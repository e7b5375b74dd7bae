import type { SlackOutbound } from '../../src/playground/emulator/index.js';
import type { FakeSlack } from './fake-slack.js';

export type {
  Delivery,
  SendOptions,
  SignedRequest,
  ViewSubmissionDelivery,
} from '../../src/playground/emulator/index.js';
export { SlackOutbound, signSlackRequest, VERIFICATION_TOKEN } from '../../src/playground/emulator/index.js';

/** The fake's outbound side, aimed at an app's `/slack/events` URL: signs and posts as Slack does. */
export function slackDriver(fake: FakeSlack, targetUrl: string): SlackOutbound {
  fake.outbound.targetUrl = targetUrl;
  return fake.outbound;
}

/** A request timestamp older than the five minutes Slack's verifiers accept. */
export function staleTimestamp(nowMs = Date.now()): number {
  return Math.floor(nowMs / 1000) - 6 * 60;
}

/** The same signature with its last hex digit changed: well-formed, and wrong. */
export function tamperedSignature(signature: string): string {
  const last = signature.at(-1) === '0' ? '1' : '0';
  return `${signature.slice(0, -1)}${last}`;
}

/** The JSON payload of an interaction body (`payload=<JSON>`), or the fields of a slash command. */
export function decodeSlackBody(body: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  const form = new URLSearchParams(body);
  const payload = form.get('payload');
  return payload ? (JSON.parse(payload) as Record<string, unknown>) : Object.fromEntries(form);
}
