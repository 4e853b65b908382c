import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/clients/s3';
import { startApi } from '../harness/apiServer';
import { launchChromium } from '../harness/browser';
import { gradientJpeg } from '../fixtures/images';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { startWebhookReceiver } from '../harness/webhookReceiver';
import { familyMember } from '../fixtures/families';
import { realPhotos } from '../../bench/retrievalPhotos';

const OUTPUT = path.join(__dirname, '..', '..', 'test-output');
const VIEWPORTS: Array<[number, number]> = [
  [390, 844],
  [1440, 900],
];

// Code run in the page is given as strings: this project's TypeScript has no DOM types (tsconfig `lib`).

/** A DataTransfer holding files ({name, base64}) as a drag from the desktop carries them. */
const TRANSFER_OF = `(files) => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.base64), (character) => character.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, { type: 'image/jpeg' }));
  }
  return transfer;
}`;

/** Marks the visible, enabled controls of a scope with their index, and names them. */
const MARK_CONTROLS = `(scope) => {
  const found = [...document.querySelectorAll(scope + ' :is(a[href], button, input, [tabindex="0"])')].filter(
    (control) => control.checkVisibility() && !control.disabled,
  );
  found.forEach((control, index) => control.setAttribute('data-kb', String(index)));
  return found.map((control) => control.tagName + ' ' + (control.id || control.textContent.trim().slice(0, 30)));
}`;

/** An expression calling one of the functions above with `arg` (a string function is not called by Playwright). */
const call = (pageFunction: string, arg: unknown) => `(${pageFunction})(${JSON.stringify(arg)})`;

/**
 * A page of its own at `width`×`height`, collecting what it logs as an error and what it throws (`problems`), with
 * `shot(name)` saving a screenshot to test-output/ as gallery-{width}x{height}-{prefix}{name}.png.
 */
async function galleryPage(browser: Browser, width: number, height: number, prefix = '') {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  const shot = (name: string, fullPage = false) =>
    page.screenshot({
      path: path.join(OUTPUT, `gallery-${width}x${height}-${prefix}${name}.png`),
      fullPage,
      animations: 'disabled',
    });
  return { context, page, problems, shot };
}

/**
 * Waits until every thumbnail of `scope` has loaded: one is marked loaded by its load event, so one that fails to load
 * (CSP, expired URL) never is.
 */
const thumbnailsLoaded = (page: Page, scope: string) =>
  page.locator(`${scope} img.full:not(.loaded)`).first().waitFor({ state: 'detached' });

/**
 * Waits until exactly `count` elements match. Waiting is done with locators: a polled string predicate would be
 * evaluated by the page, whose CSP forbids eval.
 */
async function waitForCount(page: Page, selector: string, count: number, timeout?: number): Promise<void> {
  await page
    .locator(selector)
    .nth(count - 1)
    .waitFor({ state: 'attached', timeout });
  await page.locator(selector).nth(count).waitFor({ state: 'detached', timeout });
}

/** Signs a new account up through the page's form; answers the session's token. */
async function signUp(page: Page, email: string): Promise<string> {
  await page.click('#mode-sign-up');
  await page.fill('#email', email);
  await page.fill('#password', 'a long enough password');
  await page.click('#auth-submit');
  await page.waitForSelector('#app:not([hidden])');
  return page.evaluate<string>("JSON.parse(sessionStorage.getItem('imagepipe-session')).access_token");
}

/**
 * Every visible control of `scope` gets the focus by Tab alone. Presses Tab twice as often as there are controls,
 * so the walk may start anywhere and wrap round the page once.
 */
async function expectKeyboardReachable(page: Page, scope: string): Promise<void> {
  const controls = await page.evaluate<string[]>(call(MARK_CONTROLS, scope));
  const reached = new Set<unknown>();
  for (let press = 0; press < controls.length * 2 + 2; press++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate("document.activeElement?.getAttribute('data-kb')"));
  }
  expect(controls.filter((_control, index) => !reached.has(String(index)))).toEqual([]);
}

/**
 * The gallery in headless Chromium at a phone's and a desktop's size, as a person uses it: sign up, drag and drop
 * three images and watch each through to completed, open one with its similar images, browse a group, delete and
 * undo; webhooks in the settings; with no console error and every control reachable by keyboard. Screenshots go to
 * test-output/.
 */
describe('gallery (headless Chromium)', () => {
  let service: RunningService;
  let browser: Browser;

  beforeAll(async () => {
    // Webhooks may go to a receiver on loopback here, one endpoint per user is the most (the next is refused), and
    // an event not delivered is tried again a second later, then 2, 4… seconds.
    service = await startService(
      {},
      { WEBHOOK_INSECURE_HOSTS: '127.0.0.1', WEBHOOK_MAX_ENDPOINTS: '1', WEBHOOK_FIRST_RETRY_SECONDS: '1' },
    );
    browser = await launchChromium();
    fs.mkdirSync(OUTPUT, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it.each(VIEWPORTS)(
    'at %i×%i: sign up, drop three images, open one, browse a group, delete and undo',
    async (width, height) => {
      const { context, page, problems, shot } = await galleryPage(browser, width, height);

      // Sign up.
      await page.goto(service.api.url);
      await page.click('#mode-sign-up');
      await page.fill('#email', `gallery-${width}-${Date.now()}@example.test`);
      await page.fill('#password', 'a long enough password');
      await shot('1-sign-up');
      await page.click('#auth-submit');
      await page.waitForSelector('#app:not([hidden])');
      expect(await page.evaluate('document.activeElement.id')).toBe('choose');
      const token = await page.evaluate<string>("JSON.parse(sessionStorage.getItem('imagepipe-session')).access_token");
      const client = new ApiClient(service.api.url, token);

      // Drag and drop three images onto the drop zone; each gets a bar, then its run's steps, then "Completed".
      const dropped = await Promise.all(
        [0, 1, 2].map(async (offset) => ({
          name: `red-${offset}.jpg`,
          base64: (await familyMember('red-stripes', offset)).toString('base64'),
        })),
      );
      const dataTransfer = await page.evaluateHandle(call(TRANSFER_OF, dropped));
      await page.dispatchEvent('#dropzone', 'dragenter', { dataTransfer });
      await page.dispatchEvent('#dropzone', 'dragover', { dataTransfer });
      await page.dispatchEvent('#dropzone', 'drop', { dataTransfer });
      await page.waitForSelector('#uploads li:nth-child(3)');
      expect(await page.locator('#uploads li progress').count()).toBe(3);
      await page.waitForSelector('#uploads li[data-state=processing], #uploads li[data-state=completed]');
      await shot('2-uploading');
      await waitForCount(page, '#uploads li[data-state=completed]', 3, 60_000);
      expect(await page.locator('#uploads li .upload-state').allTextContents()).toEqual([
        'Completed',
        'Completed',
        'Completed',
      ]);
      expect(await page.locator('#grid li[data-status=completed]').count()).toBe(3);

      // The same bytes again are recognised as an image already held, with a link to it.
      const again = await page.evaluateHandle(call(TRANSFER_OF, [{ ...dropped[0]!, name: 'copy of red-0.jpg' }]));
      await page.dispatchEvent('#dropzone', 'drop', { dataTransfer: again });
      await page.waitForSelector('#uploads li[data-state=duplicate] a[href^="#image/"]');

      // Groups need six images or more: three of another family come through the API, then the page regroups.
      const seeded = await client.upload(
        await Promise.all(
          [0, 1, 2].map(async (offset) => ({
            name: `blue-${offset}.jpg`,
            body: await familyMember('blue-columns', offset),
          })),
        ),
      );
      expect(seeded.status).toBe(202);
      for (const image of seeded.body.images) {
        expect((await waitForImage(client, image.image_id)).body.status).toBe('completed');
      }
      // Uploaded by another client, they reach the page through its image event stream: their tiles come without a
      // reload, completed.
      await waitForCount(page, '#grid li', 6, 30_000);
      expect(await page.locator('#grid .badge').count()).toBe(0);
      await page.click('#regroup');
      await page.waitForSelector('#groups-note:has-text("2 groups of 6 images")', { timeout: 60_000 });
      // The note comes before the cards are drawn: the whole library's and the two groups'.
      await waitForCount(page, '#groups button.group', 3);
      await waitForCount(page, '#grid li', 6);
      // Every thumbnail really loaded (presigned S3 URLs the page's CSP allows).
      await waitForCount(page, '#grid img.full.loaded', 6);
      await shot('3-library', true);
      await expectKeyboardReachable(page, 'body');

      // Open one: its facts, the pipeline's steps with timings, and its similar images beside it.
      await page.click('#grid .tile:has-text("red-0.jpg")');
      await page.waitForSelector('#viewer[open] #similar li:nth-child(5)');
      await page.waitForSelector('#viewer-steps .step.total');
      expect(await page.textContent('#viewer-title')).toBe('red-0.jpg');
      expect(await page.textContent('#viewer-description')).toMatch(/JPEG image/);
      expect(await page.textContent('#viewer-facts')).toMatch(/\d+ × \d+ px/);
      expect(await page.locator('#viewer-steps .step.completed').count()).toBeGreaterThanOrEqual(6);
      const imageId = (await page.evaluate<string>('location.hash')).replace('#image/', '');
      const { body: status } = await client.get(`/api/v1/images/${imageId}/status`);
      // The test stack has a Temporal UI (TEMPORAL_UI_URL): the operators' link leads to this run in it.
      expect(status.run_url).toMatch(new RegExp(`/namespaces/[^/]+/workflows/image-${imageId}$`));
      expect(await page.getAttribute('#viewer-run a', 'href')).toBe(status.run_url);
      // The local provider names nothing it sees: no labels, no objects.
      expect(await page.isHidden('#viewer-recognised')).toBe(true);
      expect(await page.isHidden('#viewer-detected')).toBe(true);
      await thumbnailsLoaded(page, '#viewer');
      await shot('4-image');
      await expectKeyboardReachable(page, '#viewer');
      await page.keyboard.press('Escape');
      await page.waitForSelector('#viewer[open]', { state: 'detached' });

      // Browse a group: its card lists its three images only.
      const group = page.locator('#groups button:not([data-cluster=""])').first();
      const groupName = await group.locator('.group-name').textContent();
      await group.click();
      await waitForCount(page, '#grid li', 3);
      expect(await page.textContent('#library-title')).toBe(groupName);
      expect(await group.getAttribute('aria-pressed')).toBe('true');
      await thumbnailsLoaded(page, '#grid');
      await shot('5-group', true);

      // Delete one from its view, then undo from the toast (which has the focus, so Enter does it).
      const tile = page.locator('#grid .tile').first();
      const deletedName = await tile.locator('.caption').textContent();
      await tile.click();
      await page.waitForSelector('#viewer[open]');
      await page.click('#viewer-delete');
      await page.waitForSelector('#viewer[open]', { state: 'detached' });
      await waitForCount(page, '#grid li', 2);
      expect(await page.evaluate('document.activeElement.textContent')).toBe('Undo');
      expect(await page.textContent('#toasts')).toContain(`Deleted “${deletedName}”.`);
      await shot('6-deleted');
      await page.keyboard.press('Enter');
      await waitForCount(page, '#grid li', 3);
      await page.waitForSelector(`#toasts :text("Restored “${deletedName}”.")`);
      await thumbnailsLoaded(page, '#grid');
      await shot('7-restored', true);

      expect(problems).toEqual([]);
      await context.close();
    },
    180_000,
  );

  it.each(VIEWPORTS)(
    'at %i×%i: webhooks in the settings: problems by their fields, the secret once, a delivery in its log, rotate, remove',
    async (width, height) => {
      const receiver = await startWebhookReceiver();
      const { context, page, problems, shot } = await galleryPage(browser, width, height, 'webhooks-');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.api.url });
      const text = async (selector: string) => (await page.textContent(selector))?.trim();
      const focused = () => page.evaluate<string>('document.activeElement.id || document.activeElement.textContent');
      try {
        await page.goto(service.api.url);
        const client = new ApiClient(service.api.url, await signUp(page, `hooks-${width}-${Date.now()}@example.test`));

        // The settings, from the header by keyboard: no endpoint yet.
        await page.focus('#open-settings');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#settings[open] #webhooks-note:text-is("No endpoints yet: add one below.")');
        expect(await focused()).toBe('settings-close');

        // No event (the request's schema: 422), then a URL of this machine (the service's check: 400): each problem
        // by its field, as the API said it, and the focus there.
        await page.fill('#webhook-url', 'https://localhost/hooks');
        await page.uncheck('#webhook-events input[value="image.completed"]');
        await page.uncheck('#webhook-events input[value="image.failed"]');
        await page.click('#webhook-submit');
        await page.waitForSelector('#webhook-events-problem:not(:empty)');
        expect(await text('#webhook-events-problem')).toBe('Invalid request: must name at least one event');
        expect(await page.evaluate('document.activeElement.value')).toBe('image.completed');
        await page.check('#webhook-events input[value="image.completed"]');
        await page.check('#webhook-events input[value="image.deleted"]');
        expect(await text('#webhook-events-problem')).toBe('');
        await page.click('#webhook-submit');
        await page.waitForSelector('#webhook-url-problem:not(:empty)');
        expect(await text('#webhook-url-problem')).toBe(
          "Invalid request: The URL's host localhost is a name of this machine (RFC 6761); webhooks are delivered to " +
            'public hosts only.',
        );
        expect(await page.getAttribute('#webhook-url', 'aria-invalid')).toBe('true');
        expect(await focused()).toBe('webhook-url');
        await shot('1-problem');

        // The receiver's URL: the endpoint, and its secret shown this once, copied by keyboard.
        await page.fill('#webhook-url', receiver.url);
        expect(await page.getAttribute('#webhook-url', 'aria-invalid')).toBeNull();
        await page.fill('#webhook-description', 'The test receiver');
        await page.click('#webhook-submit');
        const card = page.locator('#webhooks .webhook');
        await card.locator('.secret-value').waitFor();
        const secret = (await card.locator('.secret-value').textContent())!;
        expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
        expect(await card.locator('.secret').textContent()).toContain('you will not see it again');
        expect(await card.locator('h4').textContent()).toBe(receiver.url);
        expect(await card.locator('.webhook-status').textContent()).toBe('Enabled');
        expect(await card.locator('.event-list li').allTextContents()).toEqual(['image.completed', 'image.deleted']);
        expect(await card.locator('.facts').textContent()).toContain('The test receiver');
        expect(await page.inputValue('#webhook-url')).toBe('');
        expect(await focused()).toBe('Copy');
        await page.keyboard.press('Enter');
        await card.locator('.copy:text-is("Copied")').waitFor();
        expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
        await card.locator('.log :text("Nothing sent yet")').waitFor();
        await shot('2-secret');
        // Never again: not in the API's answers, not on the page once put away.
        expect(JSON.stringify((await client.get('/api/v1/webhooks')).body)).not.toContain(secret);
        await card.locator('.secret button:text-is("Done")').click();
        expect(await card.locator('.secret').count()).toBe(0);
        expect(await focused()).toBe('Rotate secret');

        // A second endpoint is one too many: the problem under the form, as the API said it.
        await page.fill('#webhook-url', 'https://example.com/hooks');
        await page.click('#webhook-submit');
        await page.waitForSelector('#webhook-form-problem:not(:empty)');
        expect(await text('#webhook-form-problem')).toMatch(/^Too many webhook endpoints: You have 1 webhook endpoint/);
        await page.fill('#webhook-url', '');

        // An image processed while the receiver is down: the log, as it follows along, has the attempts that failed
        // and why, then (the receiver back) the one delivered, signed with the secret shown.
        await receiver.stopListening();
        const upload = await client.upload([{ name: 'hooked.jpg', body: await gradientJpeg(320, 240) }]);
        const imageId = upload.body.images[0].image_id as string;
        expect((await waitForImage(client, imageId)).body.status).toBe('completed');
        const rows = card.locator('.deliveries tbody tr');
        await rows.first().waitFor({ timeout: 30_000 });
        expect(await rows.first().locator('.outcome').textContent()).toBe('Failed');
        expect(await rows.first().locator('.answer').textContent()).toBe(
          `connection refused by ${new URL(receiver.url).host}`,
        );
        await receiver.listen();
        const delivered = card.locator('.deliveries tbody tr.delivered');
        await delivered.waitFor({ timeout: 30_000 });
        const attempts = await rows.count();
        expect(attempts).toBeGreaterThan(1);
        expect(await rows.locator('.outcome').allTextContents()).toEqual([
          'Delivered',
          ...Array<string>(attempts - 1).fill('Failed'),
        ]);
        expect(await rows.locator('.type').allTextContents()).toEqual(Array<string>(attempts).fill('image.completed'));
        expect(await rows.locator('.event-id').allTextContents()).toEqual(
          Array<string>(attempts).fill(`evt_${imageId}_completed`),
        );
        expect(await rows.locator('.attempt').allTextContents()).toEqual(
          Array.from({ length: attempts }, (_, index) => String(attempts - index)),
        );
        expect(await delivered.locator('.answer').textContent()).toBe('200');
        expect(await delivered.locator('.latency').textContent()).toMatch(/^\d+ ms$/);
        expect(receiver.delivered().map((event) => event.id)).toEqual([`evt_${imageId}_completed`]);
        receiver.verifyAll(secret);
        await shot('3-delivered');
        await expectKeyboardReachable(page, '#settings');

        // Rotate: a new secret, once, and the previous one signing beside it for a day.
        await card.locator('button:text-is("Rotate secret")').click();
        await card.locator('.secret-value').waitFor();
        const rotated = await card.locator('.secret-value').textContent();
        expect(rotated).toMatch(/^whsec_/);
        expect(rotated).not.toBe(secret);
        expect(await card.locator('.secret').textContent()).toContain(
          'The previous secret keeps signing beside it for 24 hours',
        );
        await card.locator('.facts :text("the previous one signs too until")').waitFor();
        expect(await focused()).toBe('Copy');
        await shot('4-rotated');

        // Remove, asked again first, with the focus on keeping it: Escape steps back out of the question alone.
        await card.locator('button:text-is("Remove")').click();
        await card.locator('.confirm').waitFor();
        expect(await focused()).toBe('Keep it');
        await page.keyboard.press('Escape');
        await card.locator('.confirm').waitFor({ state: 'detached' });
        expect(await page.isVisible('#settings[open]')).toBe(true);
        expect(await focused()).toBe('Remove');
        await page.keyboard.press('Enter');
        await card.locator('.confirm').waitFor();
        await shot('5-remove');
        // Removed: none is left, here and in the API, and the form's "too many" has gone with it.
        await card.locator('button:text-is("Remove it")').click();
        await page.waitForSelector('#webhooks-note:text-is("No endpoints yet: add one below.")');
        expect(await page.locator('#webhooks .webhook').count()).toBe(0);
        expect(await text('#webhook-form-problem')).toBe('');
        expect((await client.get('/api/v1/webhooks')).body.webhooks).toEqual([]);
        await page.keyboard.press('Escape');
        await page.waitForSelector('#settings[open]', { state: 'detached' });
        expect(await focused()).toBe('open-settings');

        // The only errors the console saw are the refused registrations' answers.
        expect(problems).toEqual([
          expect.stringContaining('status of 422'),
          expect.stringContaining('status of 400'),
          expect.stringContaining('status of 409'),
        ]);
      } finally {
        await context.close();
        await receiver.close();
      }
    },
    120_000,
  );

  it('sends a file too large for the deployment (413 max_request_bytes) by the presigned route', async () => {
    // As in AWS Lambda, where a request carries at most 4 MiB of multipart; the service's worker runs the pipeline.
    const capped = await startApi({
      UPLOAD_MAX_REQUEST_BYTES: '20000',
      TEMPORAL_TASK_QUEUE: service.worker.taskQueue,
    });
    // As the AWS template does: the bucket lets browsers PUT to its presigned URLs.
    const s3 = createS3Client(capped.config);
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: capped.config.s3.bucket,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'PUT', 'HEAD'], AllowedHeaders: ['*'] }],
        },
      }),
    );
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(capped.url);
      const token = await signUp(page, `gallery-direct-${Date.now()}@example.test`);
      const large = await gradientJpeg(1200, 900);
      expect(large.length).toBeGreaterThan(20_000);
      const dataTransfer = await page.evaluateHandle(
        call(TRANSFER_OF, [{ name: 'large.jpg', base64: large.toString('base64') }]),
      );
      await page.dispatchEvent('#dropzone', 'drop', { dataTransfer });
      await page.waitForSelector('#uploads li[data-state=completed]', { timeout: 60_000 });
      const listed = await new ApiClient(capped.url, token).get('/api/v1/images');
      expect(listed.body.items).toEqual([expect.objectContaining({ filename: 'large.jpg', bytes: large.length })]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      s3.destroy();
      await capped.close();
    }
  });

  /**
   * Search and labels need an image whose labels are known: the vision provider (EfficientNet-Lite0, offline) names
   * the cat, the coffee and the motorcycle of scikit-image's photos (bench/retrieval's pinned set) as
   * test/ai/visionProvider.test.ts checks, in a service of its own.
   */
  describe('search and labels (vision provider)', () => {
    let vision: RunningService;
    let photos: Array<{ name: string; body: Buffer }>;

    beforeAll(async () => {
      vision = await startService({}, { AI_PROVIDER: 'vision' });
      const all = await realPhotos();
      photos = await Promise.all(
        [
          ['skimage-chelsea', 'chelsea.jpg'],
          ['skimage-coffee', 'coffee.jpg'],
          ['skimage-motorcycle_left', 'motorcycle.jpg'],
        ].map(async ([source, name]) => ({
          name: name!,
          body: await fs.promises.readFile(all.find((photo) => photo.name === source)!.path),
        })),
      );
    });
    afterAll(() => vision?.stop());

    it.each(VIEWPORTS)(
      'at %i×%i: search by words (as typed, and on Enter), the labels and objects of an image, the library by one label',
      async (width, height) => {
        const { context, page, problems, shot } = await galleryPage(browser, width, height, 'search-');
        // The query of each search the page asks the API for.
        const searches: Array<Record<string, string>> = [];
        page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname === '/api/v1/images/search') searches.push(Object.fromEntries(url.searchParams));
        });
        const tileNames = () => page.locator('#grid .tile .caption').allTextContents();

        await page.goto(vision.api.url);
        const client = new ApiClient(vision.api.url, await signUp(page, `search-${width}-${Date.now()}@example.test`));
        const uploaded = await client.upload(photos);
        expect(uploaded.status).toBe(202);
        const ids: Record<string, string> = {};
        for (const image of uploaded.body.images as Array<{ image_id: string; filename: string }>) {
          expect((await waitForImage(client, image.image_id)).body.status).toBe('completed');
          ids[image.filename] = image.image_id;
        }
        await page.reload();
        await waitForCount(page, '#grid li', 3);

        // A word and Enter: the cat, with the words it was found by, said to a screen reader too.
        await page.fill('#search-input', 'cat');
        await page.press('#search-input', 'Enter');
        await page.waitForSelector('#library-title:text-is("Images matching “cat”")');
        await waitForCount(page, '#grid li', 1);
        expect(await tileNames()).toEqual(['chelsea.jpg']);
        expect(await page.textContent('#grid .tile .matched')).toMatch(/^cat \((.+, )?label(, .+)?\)$/);
        expect(await page.textContent('#announcer')).toBe('1 image matches “cat”.');
        await thumbnailsLoaded(page, '#grid');
        await shot('1-found');
        await expectKeyboardReachable(page, 'body');

        // Typed a key at a time, a word nothing has is searched once, when typing settles: the empty state.
        const before = searches.length;
        await page.fill('#search-input', '');
        await page.locator('#search-input').pressSequentially('zebra', { delay: 60 });
        await page.waitForSelector('#library-note:text-is("No image matches “zebra”.")');
        expect(searches.slice(before)).toEqual([{ q: 'zebra', limit: '30' }]);
        expect(await page.locator('#grid li').count()).toBe(0);
        await shot('2-none');

        // A query the API refuses: its problem, as it said it.
        await page.fill('#search-input', 'the');
        await page.press('#search-input', 'Enter');
        await page.waitForSelector('#library-note.problem');
        expect(await page.textContent('#library-note')).toMatch(
          /^The search could not be made: Invalid request: q: has no word to search for/,
        );
        await shot('3-problem');

        // Escape empties the box and lists the whole library again.
        await page.press('#search-input', 'Escape');
        await waitForCount(page, '#grid li', 3);
        expect(await page.textContent('#library-title')).toBe('All images');
        expect(await page.inputValue('#search-input')).toBe('');
        expect(await page.textContent('#library-note')).toBe('');

        // The cat's view: its labels with their probabilities, as the API has them.
        const cat = (await client.get(`/api/v1/images/${ids['chelsea.jpg']}`)).body as {
          labels: Array<{ name: string; probability: number }>;
          objects: Array<{ name: string; count: number }>;
        };
        expect(cat.labels.length).toBeGreaterThan(0);
        await page.click('#grid .tile:has-text("chelsea.jpg")');
        await page.waitForSelector('#viewer[open] #viewer-recognised:not([hidden])');
        expect(await page.locator('#viewer-labels .chip').allTextContents()).toEqual(
          cat.labels.map((label) => `${label.name}${Math.round(label.probability * 100)} %`),
        );
        // Beside them, the objects found in it with their counts.
        expect(cat.objects.length).toBeGreaterThan(0);
        expect(await page.locator('#viewer-objects .chip').allTextContents()).toEqual(
          cat.objects.map((object) => `${object.name}× ${object.count}`),
        );
        await thumbnailsLoaded(page, '#viewer');
        // The similar images beside it, whose loading no class marks: each image complete.
        await page.waitForSelector('#similar li:nth-child(2)');
        // (Not "network idle": the page's image event stream stays open.)
        for (let tries = 0; tries < 100; tries++) {
          if (
            await page.evaluate<boolean>("[...document.querySelectorAll('#similar img')].every((img) => img.complete)")
          )
            break;
          await page.waitForTimeout(100);
        }
        await shot('4-labels');

        // One of its cat labels lists the images with it: the cat alone, under a filter that is removed with ×.
        const label = cat.labels.find((each) => /^(tabby|tiger cat|Egyptian cat)$/.test(each.name))!.name;
        await page.click(`#viewer-labels .chip:has-text("${label}")`);
        await page.waitForSelector('#viewer[open]', { state: 'detached' });
        await page.waitForSelector('#filters:not([hidden])');
        expect(await page.textContent('#filters .filter')).toBe(`Label: ${label}×`);
        await waitForCount(page, '#grid li', 1);
        expect(await tileNames()).toEqual(['chelsea.jpg']);
        expect(await page.textContent('#grid .tile .matched')).toMatch(/\(label\)$/);
        expect(searches.at(-1)).toEqual({ q: label, field: 'labels', limit: '30' });
        await thumbnailsLoaded(page, '#grid');
        await shot('5-label-filter');
        await page.click('#filters button');
        await waitForCount(page, '#grid li', 3);
        expect(await page.isHidden('#filters')).toBe(true);
        expect(await page.textContent('#library-title')).toBe('All images');
        expect(await page.evaluate('document.activeElement.id')).toBe('library');

        // The only error the console saw is the refused query's answer.
        expect(problems).toEqual([expect.stringContaining('status of 400')]);
        await context.close();
      },
      120_000,
    );
  });
});
