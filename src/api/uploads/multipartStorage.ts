import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { sanitizeFilename } from '../../images/sanitizeFilename';
import { UploadRejection } from '../../images/uploadRules';
import type { ImageIntake, StoredUpload } from '../../services/imageIntake';

/** What the storage engine adds to each multer file: a stored original, or why it was refused. */
export interface UploadOutcome {
  safeName: string;
  stored?: StoredUpload;
  rejection?: UploadRejection;
}

export type UploadedFile = Express.Multer.File & UploadOutcome;

/** A refusal that ends the whole upload request (the size limit), so the client stops sending. */
export class UploadFailure extends Error {
  constructor(readonly rejection: UploadRejection) {
    super(rejection.detail);
    this.name = 'UploadFailure';
  }
}

/**
 * A multer storage engine that hands each file's stream to the intake service, which streams it through its
 * checks into storage. A file that breaks a format or dimension rule is refused on its own (the request goes on
 * with the others); one past the size limit (an image, or a file already refused and being skipped) ends the whole
 * request at once: `onTooLarge` answers it there, without reading the rest of the body.
 */
export class MultipartStorage implements StorageEngine {
  constructor(
    private readonly intake: ImageIntake,
    private readonly options: {
      userIdOf: (req: Request) => string;
      maxBytes: number;
      onTooLarge: (req: Request, rejection: UploadRejection) => void;
    },
  ) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<UploadedFile>) => void,
  ): void {
    const safeName = sanitizeFilename(file.originalname);
    const tooLarge = new UploadRejection(
      'max_bytes',
      `The file is larger than ${this.options.maxBytes} bytes.`,
      safeName,
    );
    // The parser stops a file at the limit (multer's fileSize): so also one being skipped after it was refused.
    file.stream.once('limit', () => this.options.onTooLarge(req, tooLarge));
    this.intake.receive(this.options.userIdOf(req), file.stream, safeName).then(
      (stored) => callback(null, { safeName, stored }),
      (error: unknown) => {
        file.stream.resume(); // skip the rest of this file, so the request can go on with the next one
        if (!(error instanceof UploadRejection)) return callback(error);
        const rejection = new UploadRejection(error.rule, error.detail, safeName);
        if (rejection.rule === 'max_bytes') {
          this.options.onTooLarge(req, rejection);
          return callback(new UploadFailure(rejection));
        }
        callback(null, { safeName, rejection });
      },
    );
  }

  _removeFile(
    _req: Request,
    file: Express.Multer.File & Partial<UploadOutcome>,
    callback: (error: Error | null) => void,
  ): void {
    if (!file.stored) return callback(null);
    void this.intake.discard(file.stored.key).then(() => callback(null));
  }
}
