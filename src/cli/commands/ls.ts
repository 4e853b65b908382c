import { Command, InvalidArgumentError } from 'commander';
import { signedInClient } from '../signedIn';

interface ListedImage {
  image_id: string;
  status: string;
  created_at: string;
  filename: string;
  bytes?: number;
}

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
    .option('--status <status>', 'only images in this status: processing, completed or failed')
    .option('--json', 'print a JSON array of the images as the API describes them')
    .action(async (options: { limit?: number; status?: string; json?: boolean }, command) => {
      const client = await signedInClient(command as Command);
      const images: ListedImage[] = [];
      let cursor: string | undefined;
      do {
        const wanted = Math.min(PAGE_LIMIT, (options.limit ?? Infinity) - images.length);
        const page = (await client.requestOk('GET', '/api/v1/images', {
          query: { limit: String(wanted), cursor, status: options.status },
        })) as { items: ListedImage[]; next_cursor: string | null };
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
