import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE_DIR = path.join(os.tmpdir(), 'imagepipe-workflow-bundles');
const DAY_MS = 24 * 60 * 60 * 1000;

/** The files of a folder, with their paths, in a stable order. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/**
 * What a bundle of `entry` is made of: the entry, src/workflows and src/contracts (workflow code imports nothing
 * else of the project: test/architecture/layers.unit.test.ts), and the SDK that bundles and runs it.
 */
function fingerprint(entry: string): string {
  const hash = crypto.createHash('sha256');
  const sdk = [
    require.resolve('@temporalio/worker/package.json'),
    require.resolve('@temporalio/workflow/package.json'),
    require.resolve('@temporalio/common/package.json'),
  ].map((file) => (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version);
  hash.update(`${process.version} ${sdk.join(' ')}\n`);
  for (const file of [
    entry,
    ...filesUnder(path.join(ROOT, 'src', 'workflows')),
    ...filesUnder(path.join(ROOT, 'src', 'contracts')),
  ]) {
    hash.update(`${path.relative(ROOT, file)}\n`).update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 32);
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The workflows at `entry` bundled for a worker, as `workflowsPath` would be: bundling takes seconds (webpack), a
 * worker on a ready bundle milliseconds. Kept on disk by the fingerprint of what went into it, so the unit tier's
 * test files (and its next runs) bundle the same code once.
 */
export function workflowBundle(
  entry: string = require.resolve('../../src/workflows'),
): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(entry);
  if (!bundle) {
    bundle = cachedBundle(entry);
    bundles.set(entry, bundle);
  }
  return bundle;
}

async function cachedBundle(entry: string): Promise<WorkflowBundleWithSourceMap> {
  const file = path.join(CACHE_DIR, `${fingerprint(entry)}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowBundleWithSourceMap;
  } catch {
    // Not bundled yet (or cut short): bundle it.
  }
  const { code, sourceMap } = await bundleWorkflowCode({ workflowsPath: entry, logger: new DefaultLogger('WARN') });
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  for (const old of fs.readdirSync(CACHE_DIR)) {
    const stale = path.join(CACHE_DIR, old);
    if (Date.now() - fs.statSync(stale).mtimeMs > DAY_MS) fs.rmSync(stale, { force: true });
  }
  // Written whole, then renamed: a test file reading beside this one sees the old state or the new, never half.
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, JSON.stringify({ code, sourceMap }));
  fs.renameSync(partial, file);
  return { code, sourceMap };
}
