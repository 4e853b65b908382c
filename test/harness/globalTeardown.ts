import fs from 'node:fs';
import { resolveSettings } from '../../scripts/devstack/settings';
import { stopStack } from '../../scripts/devstack/stack';
import { STACK_DIR_VARIABLE } from './stackEnv';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[STACK_DIR_VARIABLE];
  if (!dir) return;
  await stopStack(await resolveSettings({ dir, env: {} }));
  fs.rmSync(dir, { recursive: true, force: true });
}
