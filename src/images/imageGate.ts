import crypto from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { structuralFault, TAIL_BYTES } from './imageStructure';
import { MIME_TYPES, sniffImage, type ImageFormat } from './sniffImage';
import { checkDimensions, UploadRejection, type UploadLimits } from './uploadRules';

/** The header must show itself within this many bytes (a JPEG's EXIF and ICC data come before its frame header). */
const MAX_HEADER_BYTES = 512 * 1024;

export interface GatedImage {
  format: ImageFormat;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

/**
 * A pass-through for one uploaded file: holds back the first bytes until they show a supported image within the
 * limits, then lets everything through while counting and hashing it. It fails with an UploadRejection the moment
 * a rule is broken (the size limit while streaming, not after), so nothing invalid reaches storage.
 */
export class ImageGate extends Transform {
  private readonly hash = crypto.createHash('sha256');
  private head: Buffer[] = [];
  private headBytes = 0;
  private bytes = 0;
  private firstBytes = Buffer.alloc(0);
  private tail = Buffer.alloc(0);
  private image?: { format: ImageFormat; width: number; height: number };

  constructor(private readonly limits: UploadLimits) {
    super();
  }

  /** Content type of the recognised image (emitted with the 'recognised' event, before the first byte passes). */
  get contentType(): string | undefined {
    return this.image && MIME_TYPES[this.image.format];
  }

  /** What passed through; only valid once the stream has finished. */
  result(): GatedImage {
    if (!this.image) throw new Error('ImageGate.result() before the image was recognised');
    return {
      ...this.image,
      contentType: MIME_TYPES[this.image.format],
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
    };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxBytes) {
      callback(new UploadRejection('max_bytes', `The file is larger than ${this.limits.maxBytes} bytes.`));
      return;
    }
    this.hash.update(chunk);
    this.tail = Buffer.concat([this.tail, chunk.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES);
    if (this.image) {
      callback(null, chunk);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    try {
      if (this.recognise(false)) {
        callback(null, Buffer.concat(this.head));
        this.head = [];
      } else callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.bytes === 0) throw new UploadRejection('min_bytes', 'The file is empty.');
      if (!this.image) this.recognise(true);
      if (this.bytes < this.limits.minBytes) {
        throw new UploadRejection(
          'min_bytes',
          `The file is ${this.bytes} bytes; at least ${this.limits.minBytes} are required.`,
        );
      }
      const fault = structuralFault(this.image!.format, this.firstBytes, this.tail, this.bytes);
      if (fault) throw new UploadRejection('corrupt', fault);
      callback(null, this.head.length > 0 ? Buffer.concat(this.head) : undefined);
    } catch (error) {
      callback(error as Error);
    }
  }

  /** True once the header is read and accepted; throws an UploadRejection when it is not acceptable. */
  private recognise(ended: boolean): boolean {
    const head = Buffer.concat(this.head);
    const sniffed = sniffImage(head);
    if (sniffed.kind === 'unsupported')
      throw new UploadRejection('format', `Only JPEG, PNG, GIF and WebP images are accepted: ${sniffed.reason}.`);
    if (sniffed.kind === 'need-more') {
      if (ended)
        throw new UploadRejection('format', 'The file ends before its image header does (truncated or not an image).');
      if (this.headBytes > MAX_HEADER_BYTES)
        throw new UploadRejection('format', `No image header within the first ${MAX_HEADER_BYTES} bytes.`);
      return false;
    }
    checkDimensions(sniffed, this.limits);
    this.firstBytes = head.subarray(0, 64);
    this.image = { format: sniffed.format, width: sniffed.width, height: sniffed.height };
    this.emit('recognised');
    return true;
  }
}
