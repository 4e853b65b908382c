/**
 * The local stack: real Temporal, S3 (versitygw), DynamoDB Local, the Firebase Auth emulator and Secrets Manager
 * (moto; IAM enforced on the tests' stack only) on loopback.
 *   tsx scripts/stack.ts up | down | status | env
 * Data lives in .local/stack (STACK_DIR); ports default to each tool's usual one (STACK_*_PORT, or STACK_PORTS=auto).
 */
import { assertPortsFree, resolveSettings } from './devstack/settings';
import { envFileOf, provisionStack, stackStatus, startStack, stopStack } from './devstack/stack';
import { printEnvFile, runCommand } from './devstack/cli';

async function main(command: string | undefined): Promise<number> {
  const settings = await resolveSettings();
  switch (command) {
    case 'up': {
      const status = await stackStatus(settings);
      if (status.every((component) => component.healthy)) {
        await provisionStack(settings, (line) => console.log(line));
        console.log(`stack already up; its environment is in ${envFileOf(settings)}`);
        return 0;
      }
      if (status.some((component) => component.running)) await stopStack(settings);
      await assertPortsFree(settings);
      const began = Date.now();
      const env = await startStack(settings, (line) => console.log(line));
      console.log(
        `stack up in ${((Date.now() - began) / 1000).toFixed(1)} s; environment written to ${envFileOf(settings)}`,
      );
      console.log(`Temporal UI: ${env.TEMPORAL_UI_URL}/namespaces/${env.TEMPORAL_NAMESPACE}/workflows`);
      return 0;
    }
    case 'down': {
      const stopped = await stopStack(settings);
      console.log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing was running');
      return 0;
    }
    case 'status': {
      const status = await stackStatus(settings);
      for (const component of status) {
        console.log(
          `${component.name.padEnd(16)} ${component.healthy ? 'healthy' : component.running ? 'running, not healthy' : 'stopped'}${component.pid ? ` (pid ${component.pid})` : ''}`,
        );
      }
      return status.every((component) => component.healthy) ? 0 : 1;
    }
    case 'env':
      return printEnvFile(envFileOf(settings), 'stack', 'npm run stack -- up');
    default:
      console.error('usage: tsx scripts/stack.ts up|down|status|env');
      return 2;
  }
}

runCommand(() => main(process.argv[2]));
