import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The file's SHA-256 in lowercase hex, read as a stream: a large file is never held in memory. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
