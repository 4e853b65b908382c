import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { s3Component } from '../../scripts/devstack/components';
import { startDaemon, stopDaemon, waitUntilHealthy } from '../../scripts/devstack/daemon';
import { resolveSettings } from '../../scripts/devstack/settings';

export interface PrivateS3 {
  endpoint: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  remove: () => Promise<void>;
}

/**
 * A second real S3 gateway (versitygw, same keys as the test stack) over a folder of its own, for a test that
 * stops and restarts storage without disturbing the tests that share the main stack.
 */
export async function startPrivateS3(): Promise<PrivateS3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-private-s3-'));
  const settings = await resolveSettings({ dir, pickFreePorts: true, env: process.env });
  const component = s3Component(settings);
  const start = async () => {
    component.prepare();
    await waitUntilHealthy(startDaemon(component.spec), component.isHealthy, component.startTimeoutMs);
  };
  await start();
  return {
    endpoint: `http://${settings.host}:${component.port}`,
    start,
    stop: async () => {
      await stopDaemon(component.spec.pidFile, 0);
    },
    remove: async () => {
      await stopDaemon(component.spec.pidFile);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
