import { Command } from 'commander';
import type { Schemas } from '../../client';
import { bodyOf } from '../apiClient';
import { signedInClient } from '../signedIn';

function statusText(image: Schemas['ImageProgress']): string {
  const lines = [`${image.image_id}  ${image.status}${image.current_step ? ` (${image.current_step})` : ''}`];
  for (const step of image.steps ?? [])
    lines.push(
      `  ${step.name.padEnd(14)}${step.status.padEnd(11)}${step.duration_ms !== undefined ? `${step.duration_ms} ms` : ''}`,
    );
  if (image.failure_reason) lines.push(`  failed: ${image.failure_reason}`);
  return `${lines.join('\n')}\n`;
}

/** `status IMAGE_ID`: the image's processing status and its steps. */
export function statusCommand(): Command {
  return new Command('status')
    .description("An image's processing status, current step and step timings")
    .argument('<image-id>')
    .option('--json', 'print the API answer as JSON')
    .action(async (imageId: string, options: { json?: boolean }, command) => {
      const client = await signedInClient(command as Command);
      const status = bodyOf(await client.GET('/api/v1/images/{imageId}/status', { params: { path: { imageId } } }));
      process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : statusText(status));
    });
}
