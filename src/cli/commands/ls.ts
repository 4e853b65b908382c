import { Command, InvalidArgumentError, Option } from 'commander';
import type { Schemas } from '../../client';
import { bodyOf } from '../apiClient';
import { signedInClient } from '../signedIn';

type Image = Schemas['Image'];
type ListedStatus = 'processing' | 'completed' | 'failed';

// The largest page the API gives.
const PAGE_LIMIT = 100;

function parseLimit(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return value;
}

/** `ls`: the user's images, newest first, every page (up to `--limit`). */
export function lsCommand(): Command {
  return new Command('ls')
    .description('List your images, newest first')
    .option('--limit <n>', 'list at most this many', parseLimit)
    .addOption(
      new Option('--status <status>', 'only images in this status').choices(['processing', 'completed', 'failed']),
    )
    .option('--json', 'print a JSON array of the images as the API describes them')
    .action(async (options: { limit?: number; status?: ListedStatus; json?: boolean }, command) => {
      const client = await signedInClient(command as Command);
      const images: Image[] = [];
      let cursor: string | undefined;
      do {
        const wanted = Math.min(PAGE_LIMIT, (options.limit ?? Infinity) - images.length);
        const page = bodyOf(
          await client.GET('/api/v1/images', {
            params: { query: { limit: wanted, cursor, status: options.status } },
          }),
        );
        images.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor && images.length < (options.limit ?? Infinity));
      if (options.json) {
        process.stdout.write(`${JSON.stringify(images, null, 2)}\n`);
        return;
      }
      for (const image of images)
        process.stdout.write(`${image.image_id}  ${image.status.padEnd(10)}  ${image.created_at}  ${image.filename}\n`);
    });
}
