import type { OriginalFacts } from '../contracts';
import { structuralFault, TAIL_BYTES } from '../images/imageStructure';
import { MIME_TYPES, sniffImage } from '../images/sniffImage';
import { checkDimensions, UploadRejection, type UploadLimits } from '../images/uploadRules';
import type { ImageObjects } from './imageObjects';

const HEADER_BYTES = 512 * 1024;

/**
 * Checks an original already in storage (a client's direct upload, or any original before it is processed) with
 * the same rules as a streamed upload, reading only its size, its first bytes and its last ones. Undefined when
 * nothing is there; an UploadRejection naming the rule when it breaks one.
 */
export async function inspectStoredOriginal(
  objects: ImageObjects,
  key: string,
  limits: UploadLimits,
): Promise<OriginalFacts | undefined> {
  const bytes = await objects.size(key);
  if (bytes === undefined) return undefined;
  if (bytes === 0) throw new UploadRejection('min_bytes', 'The file is empty.');
  if (bytes < limits.minBytes) {
    throw new UploadRejection('min_bytes', `The file is ${bytes} bytes; at least ${limits.minBytes} are required.`);
  }
  if (bytes > limits.maxBytes)
    throw new UploadRejection('max_bytes', `The file is larger than ${limits.maxBytes} bytes.`);
  const head = await objects.readRange(key, `bytes=0-${HEADER_BYTES - 1}`);
  const sniffed = sniffImage(head);
  if (sniffed.kind === 'unsupported') {
    throw new UploadRejection('format', `Only JPEG, PNG, GIF and WebP images are accepted: ${sniffed.reason}.`);
  }
  if (sniffed.kind === 'need-more')
    throw new UploadRejection('format', 'No image header found (truncated or not an image).');
  checkDimensions(sniffed, limits);
  const fault = structuralFault(sniffed.format, head, await objects.readRange(key, `bytes=-${TAIL_BYTES}`), bytes);
  if (fault) throw new UploadRejection('corrupt', fault);
  return {
    bytes,
    format: sniffed.format,
    contentType: MIME_TYPES[sniffed.format],
    width: sniffed.width,
    height: sniffed.height,
  };
}
