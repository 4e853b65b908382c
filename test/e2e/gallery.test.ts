import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { startService, type RunningService } from '../harness/service';
import { createTestUser } from '../harness/users';
import { gradientJpeg } from '../fixtures/images';

const SCREENSHOT = path.join(__dirname, '..', '..', 'test-output', 'gallery.png');

/** The gallery in headless Chromium, as a person uses it: sign in, upload, watch the image get its thumbnail. */
describe('gallery (headless Chromium)', () => {
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    service = await startService();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service.stop();
  });

  it('signs in, uploads with progress, and shows the image with its thumbnail and description', async () => {
    const { api } = service;
    const user = await createTestUser(api.config);
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await page.goto(api.url);
    await page.fill('input[name=username]', user.email);
    await page.fill('input[name=password]', 'not the password');
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#sign-in-error:has-text("Invalid")');
    await page.fill('input[name=password]', user.password);
    await page.click('#sign-in button[type=submit]');
    await page.waitForSelector('#library:not([hidden])');
    problems.splice(0); // the refused sign-in above logs its 401, as it should

    await page.setInputFiles('#files', {
      name: 'sunset.jpg',
      mimeType: 'image/jpeg',
      buffer: await gradientJpeg(800, 600),
    });
    await page.click('#upload button[type=submit]');
    await page.waitForSelector('#upload-message:has-text("1 uploaded.")');
    await page.waitForSelector('#images li .status.completed', { timeout: 30_000 });
    // The thumbnail really loaded (from a presigned S3 URL the page's CSP allows).
    await page.waitForFunction(
      "(() => { const image = document.querySelector('#images li img'); return Boolean(image && image.complete && image.naturalWidth > 0); })()",
    );
    expect(await page.textContent('#images li .description')).toMatch(/landscape JPEG image of 800x600 pixels/);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    process.stdout.write(`gallery screenshot: ${SCREENSHOT}\n`);
    expect(problems).toEqual([]);
  }, 90_000);
});
