import { runToExit } from '../harness/entryPoint';

/**
 * The OpenAPI document and the client types committed in src/client are what the code derives now: a route or an
 * answer changed without `npm run api:generate` fails here, before a client is built on a contract that is not
 * the server's. (The generator runs in a process of its own: its packages are ES modules jest would not load.)
 */
describe('the committed API contract', () => {
  it('is the document and the types the code generates', async () => {
    const { code, output } = await runToExit('scripts/generateApiClient.ts', { ...process.env }, ['--check']);
    expect(output).toContain('the committed API contract is what the code generates');
    expect(code).toBe(0);
  }, 60_000);
});
