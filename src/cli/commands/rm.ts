import { Command } from 'commander';
import type { Schemas } from '../../client';
import { problemOf } from '../apiClient';
import { EXIT } from '../cliError';
import { describeProblem } from '../describeProblem';
import { signedInClient } from '../signedIn';

type Deleted = Schemas['Deleted'];

/** `rm IMAGE_ID...`: soft deletes (restorable), or `--hard`; exit 1 when any id could not be deleted. */
export function rmCommand(): Command {
  return new Command('rm')
    .description('Delete images: restorable for a while unless --hard')
    .argument('<image-ids...>')
    .option('--hard', 'remove everything now, beyond restoring')
    .option('--json', 'print a JSON array of the results')
    .action(async (imageIds: string[], options: { hard?: boolean; json?: boolean }, command) => {
      const client = await signedInClient(command as Command);
      const results: Array<Deleted | { image_id: string; error: string }> = [];
      for (const imageId of imageIds) {
        const answer = await client.DELETE('/api/v1/images/{imageId}', {
          params: { path: { imageId }, query: { hard: options.hard ? 'true' : undefined } },
        });
        if (answer.data) results.push(answer.data);
        else {
          process.exitCode = EXIT.failed;
          results.push({ image_id: imageId, error: describeProblem(problemOf(answer)) });
        }
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        return;
      }
      for (const result of results) {
        if ('error' in result) process.stderr.write(`not deleted ${result.image_id}: ${result.error}\n`);
        else if (result.deleted === 'hard') process.stdout.write(`deleted ${result.image_id} for good\n`);
        else process.stdout.write(`deleted ${result.image_id} (restorable until ${result.restorable_until})\n`);
      }
    });
}
