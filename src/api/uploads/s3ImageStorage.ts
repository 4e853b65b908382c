import crypto from 'node:crypto';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { originalKey } from '../../activities/imageKeys';
import { sanitizeFilename } from '../../images/sanitizeFilename';
import type { Problem } from '../problem';
import { ImageGate, type GatedImage } from './imageGate';
import { UploadRejection, type UploadLimits } from '../../images/uploadRules';

/** What the storage engine adds to each multer file: either a stored original, or why it was refused. */
export interface UploadOutcome {
  safeName: string;
  imageId?: string;
  key?: string;
  image?: GatedImage;
  rejection?: Problem;
}

export type UploadedFile = Express.Multer.File & UploadOutcome;

// Parts of 5 MiB (S3's minimum), two in flight: memory per upload stays near 10 MiB whatever the file's size.
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * A multer storage engine that streams each file through an ImageGate straight into S3 (multipart for large
 * files), never holding a whole file in memory. A file that breaks a format or dimension rule is refused on its
 * own (the request goes on with the others); one over the size limit fails the whole request at once, so the
 * client stops sending. Anything partly written is removed.
 */
export class S3ImageStorage implements StorageEngine {
  constructor(
    private readonly deps: { s3: S3Client; bucket: string; limits: UploadLimits; userIdOf: (req: Request) => string },
  ) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<UploadedFile>) => void,
  ): void {
    const safeName = sanitizeFilename(file.originalname);
    const imageId = crypto.randomUUID();
    const key = originalKey(this.deps.userIdOf(req), imageId);
    const gate = new ImageGate(this.deps.limits);
    this.store(file, gate, key).then(
      () => callback(null, { safeName, imageId, key, image: gate.result() }),
      async (error: unknown) => {
        file.stream.unpipe(gate);
        file.stream.resume(); // skip the rest of this file, so the request can go on with the next one
        await this.deleteQuietly(key);
        if (error instanceof UploadRejection && error.rule !== 'max_bytes') {
          callback(null, { safeName, rejection: error.toProblem(safeName) });
          return;
        }
        callback(error instanceof UploadRejection ? new UploadFailure(error.toProblem(safeName)) : error);
      },
    );
  }

  /** Streams the file through the gate into S3; the upload starts once the gate knows the content type. */
  private async store(file: Express.Multer.File, gate: ImageGate, key: string): Promise<void> {
    const gated = new Promise<void>((resolve, reject) => {
      gate.once('recognised', resolve);
      gate.once('error', reject);
      file.stream.once('error', reject);
    });
    file.stream.pipe(gate);
    await gated;
    const upload = new Upload({
      client: this.deps.s3,
      params: { Bucket: this.deps.bucket, Key: key, Body: gate, ContentType: gate.contentType },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const failed = new Promise<never>((_, reject) => gate.once('error', reject));
    try {
      await Promise.race([upload.done(), failed]);
    } catch (error) {
      await upload.abort().catch(() => undefined);
      throw error;
    }
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File & Partial<UploadOutcome>,
    callback: (error: Error | null) => void,
  ): void {
    if (!file.key) return callback(null);
    void this.deleteQuietly(file.key).then(() => callback(null));
  }

  private async deleteQuietly(key: string): Promise<void> {
    await this.deps.s3.send(new DeleteObjectCommand({ Bucket: this.deps.bucket, Key: key })).catch(() => undefined);
  }
}

/** A refusal that ends the whole upload request (the size limit), carrying the problem to answer with. */
export class UploadFailure extends Error {
  constructor(readonly problem: Problem) {
    super(String(problem.detail));
    this.name = 'UploadFailure';
  }
}
