import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../../src/config/env.js';
import { type RunningDeskhand, startDeskhand } from '../../../src/main.js';
import { createLogger } from '../../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from '../../harness/database.js';

const CHROMIUM = '/usr/bin/chromium';
// The flags keep Chromium off the network: this machine has none, and a browser should not try.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// The README's picture. Its clock and latency change every run, so it is rewritten only when it is
// missing or asked for, instead of dirtying the work tree on every `npm test`.
const SCREENSHOT = 'docs/playground-answer.png';
const UPDATE_SCREENSHOT = process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(SCREENSHOT);

if (!existsSync(CHROMIUM)) {
  console.warn(
    `Skipping the playground browser test: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it).`,
  );
}

describe.skipIf(!existsSync(CHROMIUM))('the playground in a real browser (Debian chromium)', () => {
  let deskhand: RunningDeskhand;
  let database: TestDatabase;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await createTestDatabase();
    const config = loadEnv({
      PORT: '0',
      LOG_LEVEL: 'silent',
      DESKHAND_DATA_DIR: mkdtempSync(join(tmpdir(), 'deskhand-pg-')),
    });
    deskhand = await startDeskhand(config, {
      database,
      host: '127.0.0.1',
      logger: createLogger({ level: 'silent' }),
    });
    // On a loaded machine the kb process can take a few seconds to start: the cards need it answering.
    for (let waited = 0; waited < 30_000; waited += 250) {
      if (deskhand.registry.status().every((service) => service.state === 'connected')) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
    await page.goto(`${deskhand.url}/`);
    await page.getByText('live', { exact: true }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await deskhand?.stop();
    await database?.drop();
  });

  async function say(text: string) {
    await page.locator('#composer-input').fill(text);
    await page.locator('#composer-input').press('Enter');
  }

  async function actAs(userId: string) {
    await page.locator('#user-select').selectOption(userId);
  }

  async function openChannel(label: string) {
    await page.getByRole('button', { name: label, exact: true }).click();
  }

  it('answers /support with a card that opens with a cited reply, only visible to the asker', async () => {
    await say('/support How do I reset my password?');
    const card = page
      .locator('.message', { hasText: 'Reset your password' })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) });
    await card.waitFor({ timeout: 15_000 });
    await card.getByText('Only visible to you').waitFor();
    expect(await card.getByRole('link', { name: 'Reset your password' }).first().getAttribute('href')).toBe(
      'https://help.acme.example/articles/reset-password',
    );
    // The reply's steps come first, each citing the article as [1], linked to it.
    await card
      .getByText('Go to https://app.acme.example/login and click Forgot password?', { exact: false })
      .waitFor();
    expect(await card.getByRole('link', { name: '[1]' }).first().getAttribute('href')).toBe(
      'https://help.acme.example/articles/reset-password',
    );
    await card.getByText('Might also help:').waitFor();
    const screenshot = await page.screenshot();
    expect(screenshot.length).toBeGreaterThan(10_000);
    if (UPDATE_SCREENSHOT) writeFileSync(SCREENSHOT, screenshot);
  });

  it('files a ticket from the card: the modal opens prefilled, keeps what was typed through an error, and the card becomes a ticket card', async () => {
    const card = page.locator('.message', { hasText: 'Reset your password' }).last();
    await card.getByRole('button', { name: /Create ticket/ }).click();
    const modal = page.getByRole('dialog');
    await modal.waitFor();
    const subject = modal.locator('input[data-block-id="subject"]');
    const email = modal.locator('input[data-block-id="email"]');
    expect(await subject.inputValue()).toMatch(/reset my password/i);
    // deskhand fills in the asker's email with views.update once users.info answers.
    await expect.poll(() => email.inputValue(), { timeout: 10_000 }).toBe('alex@example.com');
    expect(await modal.locator('select').count()).toBeGreaterThan(0);

    await subject.fill('Password reset email never arrives');
    await email.fill('not-an-email');
    await modal.getByRole('button', { name: 'Create ticket' }).click();
    await modal.locator('.error').filter({ hasText: /email/i }).waitFor();
    expect(await subject.inputValue()).toBe('Password reset email never arrives');

    await email.fill('alex@example.com');
    await modal.getByRole('button', { name: 'Create ticket' }).click();
    await modal.waitFor({ state: 'detached', timeout: 10_000 });
    await page
      .locator('.message', { hasText: /Ticket #?\d+|saved locally/i })
      .first()
      .waitFor({ timeout: 15_000 });
  });

  it('replaces a card in place when its button is clicked', async () => {
    await say('/support how do I export my data');
    const card = page
      .locator('#messages .message', { hasText: /Export/i })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) })
      .last();
    await card.waitFor({ timeout: 15_000 });
    const ts = await card.getAttribute('data-ts');
    const before = await page.locator('#messages .message').count();
    await card.getByRole('button', { name: 'Solved' }).click();
    const updated = page.locator(`#messages .message[data-ts="${ts}"]`);
    await updated.getByText(/Glad that helped/).waitFor({ timeout: 15_000 });
    expect(await updated.count()).toBe(1);
    expect(await page.locator('#messages .message').count()).toBe(before);
  });

  it('alerts the support channel for an urgent question, and someone else takes it', {
    timeout: 60_000,
  }, async () => {
    await say('/support production is down for everyone');
    await openChannel('# support-alerts');
    const alert = page.locator('#messages .message', { hasText: 'production is down for everyone' });
    await alert.getByRole('button', { name: 'Take it' }).waitFor({ timeout: 15_000 });

    await actAs('U0AGENT1');
    await openChannel('# general');
    // The asker's answer was ephemeral: the agent does not see it.
    expect(await page.locator('#messages .message', { hasText: 'Reset your password' }).count()).toBe(0);
    await openChannel('# support-alerts');
    await alert.getByRole('button', { name: 'Take it' }).click();
    await alert.getByText(/Taken by @Sam Support/).waitFor({ timeout: 15_000 });
    expect(await alert.getByRole('button', { name: 'Take it' }).count()).toBe(0);
  });

  it('shows what people type as text, never as HTML, with mentions drawn as Slack does', async () => {
    await actAs('U0ASKER');
    await openChannel('# general');
    await say('<img src=x onerror="window.pwned=1"> *bold* & @sam');
    const message = page.locator('#messages .message', { hasText: '<img src=x' });
    await message.waitFor({ timeout: 10_000 });
    expect(await message.locator('img').count()).toBe(0);
    expect(await message.locator('strong', { hasText: 'bold' }).count()).toBe(1);
    expect(await message.locator('.mention').textContent()).toBe('@Sam Support');
    expect(await message.locator('.mrkdwn').textContent()).toContain('& ');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('draws mrkdwn as Slack does: emoji, escapes undone as text, web links only', async () => {
    // A string, so vitest leaves the page's own dynamic import alone.
    const rendered = (await page.evaluate(`(async () => {
      const { mrkdwn } = await import('/playground/blocks.js');
      const node = mrkdwn(
        ':white_check_mark: _Taken_ at 14:04 — \`a &lt;b&gt;\` &amp; <https://acme.example/x|the docs> <javascript:alert(1)|click>',
        { userName: (id) => id, channelName: (id) => id },
      );
      return {
        text: node.textContent,
        links: [...node.querySelectorAll('a')].map((a) => a.getAttribute('href')),
        italic: node.querySelector('em')?.textContent,
        code: node.querySelector('code')?.textContent,
      };
    })()`)) as { text: string; links: string[]; italic?: string; code?: string };
    expect(rendered.text).toBe('✅ Taken at 14:04 — a <b> & the docs <javascript:alert(1)|click>');
    expect(rendered.links).toEqual(['https://acme.example/x']);
    expect(rendered.italic).toBe('Taken');
    expect(rendered.code).toBe('a <b>');
  });

  it('forwards any message to support with the shortcut', async () => {
    await say('Does anyone know how to turn on two-factor authentication?');
    const message = page.locator('#messages .message', { hasText: 'Does anyone know how to turn on' });
    await message.hover();
    await message.getByRole('button', { name: 'Forward to support' }).click();
    await page
      .locator('#messages .message.ephemeral', { hasText: /two-factor|2FA/i })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) })
      .waitFor({ timeout: 15_000 });
  });

  it('answers a mention in the thread of the mention, and a DM in the DM', { timeout: 60_000 }, async () => {
    await say('@deskhand how do I export my data?');
    await page
      .locator('#messages .message', { hasText: 'how do I export my data?' })
      .getByRole('button', { name: /repl/ })
      .click({ timeout: 15_000 });
    await page
      .locator('#thread-messages .message', { hasText: /Export/i })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) })
      .waitFor({ timeout: 15_000 });
    await openChannel('● deskhand');
    await say('two factor authentication setup');
    await page
      .locator('#messages .message', { hasText: /two-factor|2FA/i })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) })
      .first()
      .waitFor({ timeout: 15_000 });
  });
});
