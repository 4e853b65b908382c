import { STACK_DIR_VARIABLE, STACK_VARIABLES_VARIABLE, TIER_VARIABLE } from './stackEnv';

/**
 * Runs before each unit test file (jest.config.js, project `unit`): marks the file as a unit test, so the stack's
 * harness refuses it at once (assertStackTier), and takes away the variables the stack tier's set-up put in the
 * environment when both tiers run together, so a unit test sees the same environment alone or beside the stack.
 */
const names = (process.env[STACK_VARIABLES_VARIABLE] ?? '').split(',').filter(Boolean);
for (const name of [...names, STACK_VARIABLES_VARIABLE, STACK_DIR_VARIABLE, 'IMAGEPIPE_TEST_STACK_ENV']) {
  delete process.env[name];
}
process.env[TIER_VARIABLE] = 'unit';
