import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emailOf } from '../../src/slack/user-email.js';
import { type FakeSlack, startFakeSlack } from '../harness/fake-slack.js';

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  await fake.close();
});

function addPerson(id: string, email?: string): void {
  fake.workspace.addUser({
    id,
    name: id.toLowerCase(),
    real_name: id,
    is_bot: false,
    ...(email ? { email } : {}),
  });
}

const infoCallsFor = (id: string) => fake.calls('users.info').filter((call) => call.args.user === id);

describe("a person's email for a ticket", () => {
  it('asks Slack once for questions that arrive together, then keeps the answer', async () => {
    addPerson('U0MAILONE', 'one@example.com');
    const client = fake.client();
    const emails = await Promise.all([emailOf(client, 'U0MAILONE'), emailOf(client, 'U0MAILONE')]);
    expect(emails).toEqual(['one@example.com', 'one@example.com']);
    expect(await emailOf(client, 'U0MAILONE')).toBe('one@example.com');
    expect(infoCallsFor('U0MAILONE')).toHaveLength(1);
  });

  it('keeps a failure for a while, so a missing scope does not cost a failing call per ticket', async () => {
    addPerson('U0MAILTWO', 'two@example.com');
    fake.failNext('users.info', { error: 'missing_scope' });
    const client = fake.client();
    expect(await emailOf(client, 'U0MAILTWO')).toBeUndefined();
    expect(await emailOf(client, 'U0MAILTWO')).toBeUndefined();
    expect(infoCallsFor('U0MAILTWO')).toHaveLength(1);
    expect(infoCallsFor('U0MAILTWO')[0]?.response).toMatchObject({ ok: false, error: 'missing_scope' });
  });

  it('asks nothing for an id that is not a person', async () => {
    expect(await emailOf(fake.client(), 'B0SOMEBOT')).toBeUndefined();
    expect(fake.calls('users.info')).toHaveLength(0);
  });
});
