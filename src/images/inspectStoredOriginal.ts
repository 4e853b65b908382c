import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { structuralFault, TAIL_BYTES } from './imageStructure';
import { MIME_TYPES, sniffImage, type ImageFormat } from './sniffImage';
import { checkDimensions, UploadRejection, type UploadLimits } from './uploadRules';

const HEADER_BYTES = 512 * 1024;

export interface StoredOriginal {
  bytes: number;
  format: ImageFormat;
  contentType: string;
  width: number;
  height: number;
}

/**
 * Checks an original a client put straight into S3 with the same rules as a streamed upload, reading only its
 * size and its first bytes. Undefined when nothing was uploaded.
 */
export async function inspectStoredOriginal(
  s3: S3Client,
  bucket: string,
  key: string,
  limits: UploadLimits,
): Promise<StoredOriginal | undefined> {
  let bytes: number;
  try {
    bytes = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
  if (bytes === 0) throw new UploadRejection('min_bytes', 'The file is empty.');
  if (bytes < limits.minBytes)
    throw new UploadRejection('min_bytes', `The file is ${bytes} bytes; at least ${limits.minBytes} are required.`);
  if (bytes > limits.maxBytes)
    throw new UploadRejection('max_bytes', `The file is larger than ${limits.maxBytes} bytes.`);
  const headObject = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${HEADER_BYTES - 1}` }),
  );
  const head = Buffer.from(await headObject.Body!.transformToByteArray());
  const sniffed = sniffImage(head);
  if (sniffed.kind === 'unsupported')
    throw new UploadRejection('format', `Only JPEG, PNG, GIF and WebP images are accepted: ${sniffed.reason}.`);
  if (sniffed.kind === 'need-more')
    throw new UploadRejection('format', 'No image header found (truncated or not an image).');
  checkDimensions(sniffed, limits);
  const tailObject = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=-${TAIL_BYTES}` }));
  const fault = structuralFault(
    sniffed.format,
    head,
    Buffer.from(await tailObject.Body!.transformToByteArray()),
    bytes,
  );
  if (fault) throw new UploadRejection('corrupt', fault);
  return {
    bytes,
    format: sniffed.format,
    contentType: MIME_TYPES[sniffed.format],
    width: sniffed.width,
    height: sniffed.height,
  };
}
