import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSettings } from '../../scripts/devstack/settings';
import { startStack } from '../../scripts/devstack/stack';
import { STACK_DIR_VARIABLE, STACK_VARIABLES_VARIABLE } from './stackEnv';

/**
 * Starts a real stack on free ports in a temporary folder for this run, unless IMAGEPIPE_TEST_STACK_ENV names the
 * env file of a stack that is already up (`.local/stack/stack.env`), which the tests then reuse as it is.
 * Jest runs test files in child processes forked after this, so they inherit the variables set here.
 */
export default async function globalSetup(): Promise<void> {
  const reuse = process.env.IMAGEPIPE_TEST_STACK_ENV;
  if (reuse) {
    const variables: Record<string, string> = {};
    for (const line of fs.readFileSync(reuse, 'utf8').split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
      if (match) variables[match[1]!] = match[2]!;
    }
    setStackVariables(variables);
    return;
  }
  const began = Date.now();
  const { dir, env } = await startTestStack().catch((error: unknown) => {
    // One more try on other ports: on a busy machine a picked port can still be taken before its server binds it.
    process.stdout.write(
      `\ntest stack did not start, trying other ports once: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return startTestStack();
  });
  process.stdout.write(`\ntest stack up in ${Date.now() - began} ms (${dir})\n`);
  setStackVariables({ ...env, [STACK_DIR_VARIABLE]: dir });
}

/** Puts the stack's variables in the environment, and their names, which the unit tier takes away again. */
function setStackVariables(variables: Record<string, string>): void {
  Object.assign(process.env, variables, { [STACK_VARIABLES_VARIABLE]: Object.keys(variables).join(',') });
}

async function startTestStack(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imagepipe-test-stack-'));
  const settings = await resolveSettings({ dir, pickFreePorts: true, env: {}, secretsIam: true });
  try {
    return { dir, env: await startStack(settings) };
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
