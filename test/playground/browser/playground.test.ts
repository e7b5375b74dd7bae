import { existsSync, mkdtempSync } from 'node:fs';
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
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

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

  it('answers /support with a card citing its sources, only visible to the asker', async () => {
    await say('/support How do I reset my password?');
    const card = page
      .locator('.message', { hasText: 'Reset your password' })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) });
    await card.waitFor({ timeout: 15_000 });
    await card.getByText('Only visible to you').waitFor();
    expect(await card.getByRole('link', { name: 'Reset your password' }).first().getAttribute('href')).toBe(
      'https://help.acme.example/articles/reset-password',
    );
    await page.screenshot({ path: 'docs/playground-answer.png' });
  });

  it('files a ticket from the card: the modal opens prefilled, checks its input, and the card becomes a ticket card', async () => {
    const card = page.locator('.message', { hasText: 'Reset your password' }).last();
    await card.getByRole('button', { name: /Create ticket/ }).click();
    const modal = page.getByRole('dialog');
    await modal.waitFor();
    expect(await modal.locator('input[data-block-id="subject"]').inputValue()).toMatch(/reset my password/i);
    await page.waitForFunction(
      () =>
        (document.querySelector('input[data-block-id="email"]') as HTMLInputElement | null)?.value ===
        'alex@example.com',
      undefined,
      { timeout: 10_000 },
    );
    await modal.locator('input[data-block-id="email"]').fill('not-an-email');
    await modal.getByRole('button', { name: 'Create ticket' }).click();
    await modal.locator('.error').filter({ hasText: /email/i }).waitFor();
    await modal.locator('input[data-block-id="email"]').fill('alex@example.com');
    await modal.getByRole('button', { name: 'Create ticket' }).click();
    await modal.waitFor({ state: 'detached', timeout: 10_000 });
    await page
      .locator('.message', { hasText: /Ticket #?\d+|saved locally|Saved locally/i })
      .first()
      .waitFor({ timeout: 15_000 });
  });

  it('alerts the support channel for an urgent question, and someone else takes it', {
    timeout: 60_000,
  }, async () => {
    await say('/support --urgent production is down for everyone');
    await page.getByRole('button', { name: '# support-alerts' }).click();
    const alert = page.locator('.message', { hasText: 'production is down for everyone' });
    await alert.getByRole('button', { name: 'Take it' }).waitFor({ timeout: 15_000 });
    await page.locator('#user-select').selectOption('U0AGENT1');
    await page.getByRole('button', { name: '# support-alerts' }).click();
    await page
      .locator('.message', { hasText: 'production is down for everyone' })
      .getByRole('button', { name: 'Take it' })
      .click();
    await page.locator('.message', { hasText: /Taken by/ }).waitFor({ timeout: 15_000 });
  });

  it('answers a mention in the thread of the mention, and a DM in the DM', { timeout: 60_000 }, async () => {
    await page.locator('#user-select').selectOption('U0ASKER');
    await page.getByRole('button', { name: '# general' }).click();
    await say('@deskhand how do I export my data?');
    await page
      .locator('.message', { hasText: 'how do I export my data?' })
      .getByRole('button', { name: /repl/ })
      .click({ timeout: 15_000 });
    await page
      .locator('#thread-messages .message', { hasText: /Export/i })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) })
      .waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: '● deskhand' }).click();
    await say('two factor authentication setup');
    await page
      .locator('#messages .message', { hasText: /two-factor|2FA/i })
      .filter({ has: page.getByRole('button', { name: 'Solved' }) })
      .first()
      .waitFor({ timeout: 15_000 });
  });
});
