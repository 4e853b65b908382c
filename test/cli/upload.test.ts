import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../harness/cli';
import { ApiClient, waitForImage } from '../harness/httpClient';
import { startService, type RunningService } from '../harness/service';
import { createTestUser, type TestUser } from '../harness/users';
import { gradientJpeg } from '../fixtures/images';

const ROOT = path.join(__dirname, '..', '..');

/** The CLI against the real service, as a user runs it, its login in a config folder of the test's own. */
describe('imagepipe CLI', () => {
  let service: RunningService;
  let user: TestUser;
  let work: string;
  let folder: string;
  let configDir: string;

  // In the test's folder, so the summary names files as the test does.
  const imagepipe = (args: string[], input?: string) =>
    runCli(args, { cwd: work, env: { IMAGEPIPE_CONFIG_DIR: configDir, IMAGEPIPE_API_URL: service.api.url }, input });

  /**
   * 22 distinct images (4 of them above the presigned route's threshold, some in nested folders), 5 byte-identical
   * copies, 3 bad files (text named .jpg, an empty .png, a truncated JPEG) and a text file that is not walked into.
   */
  async function writeFolder(): Promise<void> {
    const write = async (name: string, body: Buffer | string) => {
      await fs.mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await fs.writeFile(path.join(folder, name), body);
    };
    const images = await Promise.all(
      Array.from({ length: 22 }, (_, i) =>
        i < 18 ? gradientJpeg(100 + i * 8, 80 + i * 4) : gradientJpeg(400 + i, 300),
      ),
    );
    await Promise.all(images.map((image, i) => write(`${i % 3 === 0 ? 'nested/deeper/' : ''}photo-${i}.jpg`, image)));
    await Promise.all([0, 1, 2, 19, 20].map((i) => write(`copies/again-${i}.JPEG`, images[i]!)));
    const large = await gradientJpeg(640, 480);
    await write('bad/not-an-image.jpg', 'just some text, not a picture\n'.repeat(50));
    await write('bad/empty.png', Buffer.alloc(0));
    await write('bad/truncated.jpg', large.subarray(0, Math.floor(large.length / 2)));
    await write('notes.txt', 'not an image type');
  }

  beforeAll(async () => {
    service = await startService();
    user = await createTestUser(service.api.config);
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'imagepipe-cli-'));
    folder = path.join(work, 'photos');
    configDir = path.join(work, 'config');
    await writeFolder();
  });
  afterAll(async () => {
    // Every upload processed before the worker stops: no run is left behind on the stack.
    const client = new ApiClient(service.api.url, user.idToken);
    const { body } = await client.get('/api/v1/images?limit=100');
    await Promise.all(body.items.map((image: { image_id: string }) => waitForImage(client, image.image_id, 60_000)));
    await service.stop();
    await fs.rm(work, { recursive: true, force: true });
  });

  it('signs in with the password on stdin and keeps the login readable by its owner only', async () => {
    const login = await imagepipe(['login', '--email', user.email, '--password-stdin'], `${user.password}\n`);
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toContain(`Signed in as ${user.email}`);
    const stat = await fs.stat(path.join(configDir, 'login.json'));
    expect(stat.mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await fs.readFile(path.join(configDir, 'login.json'), 'utf8'));
    expect(saved).toMatchObject({ api_url: service.api.url, email: user.email });
    expect(JSON.stringify(saved)).not.toContain(user.password);
  });

  it('uploads a folder: new images once, duplicates skipped, bad files refused with their rule', async () => {
    const first = await imagepipe(['upload', 'photos', '--direct-above', '4KB']);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(
      /^Uploaded 22, skipped 5 as duplicates, refused 3, failed 0, ignored 1 \(not an image type\)\.\n/,
    );
    expect(first.stdout).toContain('refused  photos/bad/empty.png  [min_bytes]');
    expect(first.stdout).toContain('refused  photos/bad/not-an-image.jpg  [format]');
    expect(first.stdout).toContain('refused  photos/bad/truncated.jpg  [corrupt]');

    const again = await imagepipe(['upload', 'photos', '--json', '--direct-above', '4KB']);
    expect(again.code).toBe(1);
    const summary = JSON.parse(again.stdout);
    expect(summary.counts).toEqual({ uploaded: 0, duplicates: 27, refused: 3, failed: 0, ignored: 1 });
    expect(summary.ignored).toEqual(['photos/notes.txt']);
    const byFile = Object.fromEntries(summary.files.map((file: { file: string }) => [file.file, file]));
    // Files are taken in path order: the copy in copies/ comes first.
    expect(byFile['photos/photo-19.jpg']).toMatchObject({
      result: 'duplicate',
      copy_of: 'photos/copies/again-19.JPEG',
      image_id: byFile['photos/copies/again-19.JPEG'].image_id,
    });

    const listed = await imagepipe(['ls', '--json']);
    expect(listed.code).toBe(0);
    const images = JSON.parse(listed.stdout);
    expect(images).toHaveLength(22);
    expect(new Set(images.map((image: { image_id: string }) => image.image_id))).toEqual(
      new Set(
        summary.files
          .filter((file: { result: string }) => file.result === 'duplicate')
          .map((file: { image_id: string }) => file.image_id),
      ),
    );
  });

  it('shows an image status, deletes an image, and renews a refused access token by itself', async () => {
    const [image] = JSON.parse((await imagepipe(['ls', '--json', '--limit', '1'])).stdout);
    const status = await imagepipe(['status', image.image_id]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^${image.image_id}  (processing|completed)`));
    // --wait: once its processing has ended (the API holds each request until then).
    const waited = await imagepipe(['status', image.image_id, '--wait', '60']);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toMatch(new RegExp(`^${image.image_id}  completed\n  validate +completed`));

    const loginFile = path.join(configDir, 'login.json');
    const saved = JSON.parse(await fs.readFile(loginFile, 'utf8'));
    await fs.writeFile(loginFile, JSON.stringify({ ...saved, access_token: 'no-longer-valid' }), { mode: 0o600 });
    const removed = await imagepipe(['rm', image.image_id]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toMatch(new RegExp(`^deleted ${image.image_id} \\(restorable until `));
    expect(JSON.parse(await fs.readFile(loginFile, 'utf8')).access_token).not.toBe('no-longer-valid');
    expect((await imagepipe(['rm', image.image_id])).code).toBe(1);
  });

  it('answers usage errors with exit code 2', async () => {
    expect((await imagepipe(['upload', 'no-such-folder'])).code).toBe(2);
    expect((await imagepipe(['upload', 'photos', '--concurrency', 'many'])).code).toBe(2);
    expect((await imagepipe(['status', '00000000-0000-4000-8000-000000000000', '--wait', 'soon'])).code).toBe(2);
  });

  it('runs through its bin launcher', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'imagepipe.mjs'), '--version']);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    expect(await new Promise((resolve) => child.on('close', resolve))).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
