/**
 * The key that identifies one delivery of a Slack request, the same on every retry of it:
 * an event's `event_id`, a command's or interaction's `trigger_id`.
 */
export function deliveryKey(body: Record<string, unknown>): { key: string; kind: string } | undefined {
  if (body.type === 'event_callback' && typeof body.event_id === 'string') {
    return { key: `event:${body.event_id}`, kind: 'event' };
  }
  if (typeof body.command === 'string' && typeof body.trigger_id === 'string') {
    return { key: `command:${body.trigger_id}`, kind: 'command' };
  }
  if (typeof body.type === 'string' && typeof body.trigger_id === 'string') {
    return { key: `${body.type}:${body.trigger_id}`, kind: body.type };
  }
  return undefined;
}
