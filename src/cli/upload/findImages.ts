import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImageContentType } from '../../client';
import { CliError, EXIT } from '../cliError';

/** The types the API takes, by file extension (it checks the bytes themselves). */
const CONTENT_TYPES: Record<string, ImageContentType> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

export interface LocalImage {
  path: string;
  size: number;
  contentType: ImageContentType;
}

/** Every regular file under `target` (itself when it is one), in a stable order; links to files count as files. */
async function filesUnder(target: string): Promise<string[]> {
  const stat = await fs.stat(target).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'ENOENT' ? new CliError(`No such file or folder: ${target}`, EXIT.usage) : error;
  });
  if (!stat.isDirectory()) return [target];
  const entries = await fs.readdir(target, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (entry) => {
      const file = path.join(entry.parentPath, entry.name);
      const regular =
        entry.isFile() || (entry.isSymbolicLink() && (await fs.stat(file).catch(() => undefined))?.isFile());
      return regular ? [file] : [];
    }),
  );
  return files.flat().sort();
}

/**
 * The images among the files and folders named (walked to any depth): files of other types are `ignored`, by
 * extension; a file named twice is taken once.
 */
export async function findImages(targets: string[]): Promise<{ images: LocalImage[]; ignored: string[] }> {
  const seen = new Set<string>();
  const images: LocalImage[] = [];
  const ignored: string[] = [];
  for (const target of targets) {
    for (const file of await filesUnder(target)) {
      const resolved = path.resolve(file);
      if (seen.has(resolved)) continue;
      seen.add(resolved);
      const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
      if (!contentType) ignored.push(file);
      else images.push({ path: file, size: (await fs.stat(file)).size, contentType });
    }
  }
  return { images, ignored };
}
