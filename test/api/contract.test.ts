import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startService, type RunningService } from '../harness/service';
import { createTestUser } from '../harness/users';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMATHESIS = path.join(ROOT, '.local', 'venv', 'bin', 'schemathesis');
// Examples per operation and phase: enough to find what the document and the server disagree on, in about a minute
// on two cores (the fuzzer's stateful phase follows the document's links, from upload to delete).
const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 25);

/**
 * The API against its own OpenAPI document, by a fuzzer no one here wrote (Schemathesis, installed into
 * .local/venv by scripts/install-tools.sh): every check it has, as a signed-in user. The document must say exactly
 * what the server does: no 5xx, no status or header it does not list, nothing valid by it refused, nothing invalid
 * by it accepted, and 405 with Allow for a method a path does not have.
 */
describe('the OpenAPI contract, fuzzed', () => {
  let service: RunningService;
  beforeAll(async () => {
    // No cooldown between re-clusterings, so the fuzzer reaches the route's logic rather than its 429.
    service = await startService({ RECLUSTER_COOLDOWN_SECONDS: '0' });
  });
  afterAll(() => service.stop());

  it('holds under Schemathesis with every check', async () => {
    expect(fs.existsSync(SCHEMATHESIS)).toBe(true);
    const user = await createTestUser(service.api.config);
    const report = path.join(ROOT, 'test-output', 'schemathesis');
    const args = [
      '--config-file',
      path.join(ROOT, 'test', 'contract', 'schemathesis.toml'),
      'run',
      `${service.api.url}/openapi.json`,
      '--header',
      `Authorization: Bearer ${user.idToken}`,
      '--checks',
      'all',
      // The fuzzer would try requests without the token and expect them refused: they are (401), but it counts the
      // routes that need none (health, sign-in) against them.
      '--exclude-checks',
      'ignored_auth',
      '--max-examples',
      String(MAX_EXAMPLES),
      '--workers',
      '2',
      '--seed',
      '42',
      '--report',
      'junit',
      '--report-dir',
      report,
      '--no-color',
    ];
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(SCHEMATHESIS, args, { cwd: ROOT });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('close', (code) => resolve({ code, text }));
    });
    fs.mkdirSync(report, { recursive: true });
    fs.writeFileSync(path.join(report, 'output.txt'), output.text);
    const summary = output.text.split('\n').filter((line) => /generated|failures|passed/i.test(line));
    process.stdout.write(
      `schemathesis: ${summary.slice(-2).join(' | ')} (all of it in test-output/schemathesis/output.txt)\n`,
    );
    expect(output.code).toBe(0);
  }, 600_000);
});
