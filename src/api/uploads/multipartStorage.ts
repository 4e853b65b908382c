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
 * with the others); one over the size limit fails the whole request at once.
 */
export class MultipartStorage implements StorageEngine {
  constructor(
    private readonly intake: ImageIntake,
    private readonly userIdOf: (req: Request) => string,
  ) {}

  _handleFile(
    req: Request,
    file: Express.Multer.File,
    callback: (error?: unknown, info?: Partial<UploadedFile>) => void,
  ): void {
    const safeName = sanitizeFilename(file.originalname);
    this.intake.receive(this.userIdOf(req), file.stream, safeName).then(
      (stored) => callback(null, { safeName, stored }),
      (error: unknown) => {
        file.stream.resume(); // skip the rest of this file, so the request can go on with the next one
        if (!(error instanceof UploadRejection)) return callback(error);
        const rejection = new UploadRejection(error.rule, error.detail, safeName);
        if (rejection.rule === 'max_bytes') return callback(new UploadFailure(rejection));
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
