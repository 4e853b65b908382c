import { Command } from 'commander';
import type { Schemas } from '../../client';
import { bodyOf } from '../apiClient';
import { CliError, EXIT } from '../cliError';
import { signedInClient } from '../signedIn';

/** Each request asks the API to hold it until the run ends, for at most this long (the API may hold it less). */
const WAIT_PER_REQUEST_SECONDS = 25;
const DEFAULT_WAIT_SECONDS = 300;
const ENDED = new Set(['completed', 'failed']);

function statusText(image: Schemas['ImageProgress']): string {
  const lines = [`${image.image_id}  ${image.status}${image.current_step ? ` (${image.current_step})` : ''}`];
  for (const step of image.steps ?? [])
    lines.push(
      `  ${step.name.padEnd(14)}${step.status.padEnd(11)}${step.duration_ms !== undefined ? `${step.duration_ms} ms` : ''}`,
    );
  if (image.failure_reason) lines.push(`  failed: ${image.failure_reason}`);
  return `${lines.join('\n')}\n`;
}

/** The whole number of seconds given to --wait (none: DEFAULT_WAIT_SECONDS). */
function waitSeconds(value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value === true) return DEFAULT_WAIT_SECONDS;
  if (!/^\d+$/.test(value)) throw new CliError(`--wait takes a whole number of seconds, not "${value}".`, EXIT.usage);
  return Number(value);
}

/**
 * `status IMAGE_ID [--wait [SECONDS]]`: the image's processing status and its steps; with --wait, once its
 * processing has ended (exit 1 if it failed or is still processing when the wait is over).
 */
export function statusCommand(): Command {
  return new Command('status')
    .description("An image's processing status, current step and step timings")
    .argument('<image-id>')
    .option('--json', 'print the API answer as JSON')
    .option('--wait [seconds]', `wait until processing has ended (at most ${DEFAULT_WAIT_SECONDS} s unless given)`)
    .action(async (imageId: string, options: { json?: boolean; wait?: string | true }, command) => {
      const waitFor = waitSeconds(options.wait);
      const client = await signedInClient(command as Command);
      const deadline = Date.now() + (waitFor ?? 0) * 1000;
      const ask = (wait: number) =>
        client.GET('/api/v1/images/{imageId}/status', { params: { path: { imageId }, query: { wait } } });
      let status = bodyOf(await ask(0));
      while (waitFor !== undefined && !ENDED.has(status.status) && Date.now() < deadline) {
        const asked = Date.now();
        const left = Math.ceil((deadline - asked) / 1000);
        status = bodyOf(await ask(Math.min(left, WAIT_PER_REQUEST_SECONDS)));
        // An answer that did not wait (a run that ended with its image still processing) is not asked again at once.
        if (!ENDED.has(status.status))
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - asked))));
      }
      process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
      if (waitFor !== undefined && status.status !== 'completed') process.exitCode = EXIT.failed;
    });
}
