import crypto from 'node:crypto';
import { finished, type Readable } from 'node:stream';
import type { ImageWorkflows } from '../clients/imageWorkflows';
import type { Config } from '../config';
import { originalKey, type OriginalFacts } from '../contracts';
import { ImageGate, type GatedImage } from '../images/imageGate';
import { UploadRejection, uploadLimits, type UploadLimits } from '../images/uploadRules';
import type { Storage } from '../storage/createStorage';
import type { ImageRecord } from '../storage/imageRecord';
import { newImageRecord, type NewImageFields } from '../storage/newImageRecord';
import { inspectStoredOriginal } from '../storage/inspectStoredOriginal';
import { createdForItsUser, ownImage } from './ownImage';
import { removeImageNow } from './removeImageNow';
import { ConflictError } from './serviceErrors';
import type { ServiceMetrics } from './serviceMetrics';
import { uploadPurgeTime } from '../storage/uploadExpiry';

/** An original streamed into storage and checked on the way: not yet recorded, not yet processed. */
export interface StoredUpload {
  imageId: string;
  key: string;
  image: GatedImage;
  /** The client's file name, sanitised: a label only. */
  filename: string;
}

/** What became of an upload that could not be accepted: removed now, left to a purge run, or neither. */
export type Withdrawal = 'removed' | 'purge-scheduled' | 'left-behind';

/** An upload of bytes its owner already has: not kept, answered with the image that holds them. */
export interface LinkedUpload {
  upload: StoredUpload;
  existing: ImageRecord;
}

/** One entry of a pre-upload check: a file the client has, by checksum and size. */
export interface FileCheck {
  sha256: string;
  size: number;
}

export type FileCheckResult = FileCheck & ({ exists: false } | { exists: true; image: ImageRecord });

export interface FailedUpload {
  upload: StoredUpload;
  error: unknown;
  withdrawal: Withdrawal;
}

/**
 * What `complete` made of a direct upload: its run started (`started`), bytes the owner already has (`existing`, the
 * image that holds them), or the image as it is (completed or failed already, or being processed).
 */
export interface CompletedUpload {
  imageId: string;
  status: ImageRecord['status'];
  started?: true;
  existing?: ImageRecord;
}

export interface DirectUploadRequest {
  filename: string;
  contentType: string;
  size: number;
  fields: NewImageFields;
}

/**
 * Taking images in: streamed uploads (stored through a checking gate, then recorded and handed to their workflow)
 * and direct uploads (a presigned PUT handed out, what arrived checked at `complete`, then the same). Every path
 * removes what it stored when it cannot finish, so storage holds only images that are recorded.
 */
export class ImageIntake {
  private readonly limits: UploadLimits;

  constructor(
    private readonly storage: Storage,
    private readonly workflows: ImageWorkflows,
    private readonly config: Config,
    private readonly metrics: ServiceMetrics,
    private readonly now: () => Date,
  ) {
    this.limits = uploadLimits(config);
  }

  /**
   * Streams one file through an ImageGate into storage under a new image id. Throws an UploadRejection (rule
   * and reason) the moment a rule is broken; nothing partly written is left behind.
   */
  async receive(userId: string, file: Readable, filename: string): Promise<StoredUpload> {
    const imageId = crypto.randomUUID();
    const key = originalKey(userId, imageId);
    const gate = new ImageGate(this.limits);
    // A client that goes away half-way ends the file stream with an error, or without its end: either fails the
    // gate, and with it the upload to storage. (Not stream.pipeline: a refused file's stream must stay open, to be
    // read past so the request can go on with its next file.)
    finished(file, (error) => {
      if (error) gate.destroy(error);
    });
    try {
      const recognised = new Promise<void>((resolve, reject) => {
        gate.once('recognised', resolve);
        gate.once('error', reject);
      });
      file.pipe(gate);
      await recognised;
      await this.storage.objects.putStream(key, gate, gate.contentType!);
      return { imageId, key, image: gate.result(), filename };
    } catch (error) {
      file.unpipe(gate);
      await this.discard(key);
      if (error instanceof UploadRejection) this.metrics.uploadRefused(error.rule);
      throw error;
    }
  }

  /** Removes a stored upload that will not be recorded (the request it came in failed). */
  async discard(key: string): Promise<void> {
    await this.storage.objects.delete(key).catch(() => undefined);
  }

  /**
   * Records each stored upload and starts its workflow, or links it to the image that already holds its bytes. One
   * that cannot be recorded or started is removed again and reported, so the client can send it once more; the
   * others go on.
   */
  async accept(
    userId: string,
    uploads: StoredUpload[],
    fields: NewImageFields,
  ): Promise<{ accepted: ImageRecord[]; linked: LinkedUpload[]; failed: FailedUpload[] }> {
    const accepted: ImageRecord[] = [];
    const linked: LinkedUpload[] = [];
    const failed: FailedUpload[] = [];
    for (const upload of uploads) {
      try {
        const recorded = await this.record(userId, upload, fields);
        if ('existing' in recorded) linked.push({ upload, existing: recorded.existing });
        else accepted.push(recorded.record);
      } catch (error) {
        const withdrawal = await this.withdraw(userId, upload);
        this.metrics.uploadRefused('unavailable');
        failed.push({ upload, error, withdrawal });
      }
    }
    return { accepted, linked, failed };
  }

  /**
   * Which of the files the user already has (same SHA-256 and size), so a client can skip uploading them: what an
   * upload of each would answer with `duplicate_of`.
   */
  async check(userId: string, files: FileCheck[]): Promise<FileCheckResult[]> {
    const holders = await this.storage.checksums.holders(
      userId,
      files.map((file) => file.sha256),
    );
    const records = await this.storage.images.getMany(
      userId,
      holders.map((holder) => holder.imageId),
    );
    const bySha256 = new Map(
      records.filter((record) => holdsItsBytes(record)).map((record) => [record.sha256, record] as const),
    );
    return files.map((file) => {
      const image = bySha256.get(file.sha256);
      return image && image.bytes === file.size ? { ...file, exists: true, image } : { ...file, exists: false };
    });
  }

  /**
   * Takes back an upload the client is told to send again: its original and its item. The original goes first:
   * a run whose start reached Temporal after all then fails at its first step, before it writes anything. When a
   * store is away (the reason it failed, often) that cannot happen now, so a purge run is left to do it once the
   * store is back; only with Temporal away too does anything stay behind, and the caller logs it.
   */
  private async withdraw(userId: string, upload: StoredUpload): Promise<Withdrawal> {
    try {
      await this.storage.objects.delete(upload.key);
      await this.storage.images.remove(userId, upload.imageId);
      return 'removed';
    } catch {
      return this.workflows.schedulePurge({ userId, imageId: upload.imageId, delayMs: 0, when: 'always' }).then(
        () => 'purge-scheduled' as const,
        () => 'left-behind' as const,
      );
    }
  }

  private async record(
    userId: string,
    upload: StoredUpload,
    fields: NewImageFields,
  ): Promise<{ record: ImageRecord } | { existing: ImageRecord }> {
    const { contentType, format, bytes, sha256, width, height } = upload.image;
    const existing = await this.imageHolding(userId, sha256);
    if (existing) {
      await this.discard(upload.key);
      this.metrics.uploadLinked('multipart');
      return { existing };
    }
    const record = newImageRecord({
      userId,
      imageId: upload.imageId,
      at: this.now().toISOString(),
      status: 'processing',
      filename: upload.filename,
      original: { content_type: contentType, format, bytes, sha256, width, height },
      fields,
    });
    await this.storage.images.create(record);
    await this.startProcessing(record);
    return this.settleChecksum(record, 'multipart');
  }

  /** The owner's image that already stands for these bytes, when DUPLICATES=link: what an upload of them answers. */
  private async imageHolding(userId: string, sha256: string): Promise<ImageRecord | undefined> {
    if (this.config.uploads.duplicates !== 'link') return undefined;
    const holderId = await this.storage.checksums.holder(userId, sha256);
    const holder = holderId === undefined ? undefined : await this.storage.images.get(userId, holderId);
    return holder && holdsItsBytes(holder) ? holder : undefined;
  }

  /**
   * Gives an image whose run has started its checksum. Claimed only now, a checksum never names an image that may yet
   * be withdrawn, so an upload answered "you have this already" is answered with an image that exists. When another
   * upload of the same bytes got there first (two sent at once), this one is removed again and answered with that
   * image, as if it had been found before; should that removal fail, it stays, as a copy.
   */
  private async settleChecksum(
    record: ImageRecord,
    route: 'multipart' | 'direct',
  ): Promise<{ record: ImageRecord } | { existing: ImageRecord }> {
    // Once its run is started the image is accepted: a checksum that cannot be claimed now (DynamoDB away) only
    // means that later uploads of the same bytes are not matched with it.
    const winner = await this.claimChecksum(record).catch(() => undefined);
    if (winner) {
      const removed = await removeImageNow(
        { storage: this.storage, workflows: this.workflows },
        createdForItsUser(record),
      )
        .then(() => true)
        .catch(() => false);
      if (removed) {
        this.metrics.uploadLinked(route);
        return { existing: winner };
      }
    }
    this.metrics.uploadAccepted(route, record.bytes);
    return { record };
  }

  /**
   * Makes the image the holder of its checksum; returns the image that holds it instead, when it stands for the bytes
   * and DUPLICATES=link. A holder that is gone, deleted or failed gives way (a failed image's bytes may well process
   * now).
   */
  private async claimChecksum(record: ImageRecord): Promise<ImageRecord | undefined> {
    const { user_id: userId, image_id: imageId, sha256 } = record;
    let holder = await this.storage.checksums.claim(userId, sha256, imageId);
    // Bounded: each turn replaces a holder found unfit, which only a run of concurrent uploads could repeat.
    for (let turn = 0; holder !== imageId && turn < 3; turn++) {
      const existing = await this.storage.images.get(userId, holder);
      if (existing && holdsItsBytes(existing)) return this.config.uploads.duplicates === 'link' ? existing : undefined;
      holder = await this.storage.checksums.claim(userId, sha256, imageId, holder);
    }
    return undefined;
  }

  /** Starts the pipeline of an original this service has checked: its facts are the record's. */
  private async startProcessing(record: ImageRecord): Promise<void> {
    await this.workflows.start({
      userId: record.user_id,
      imageId: record.image_id,
      originalKey: record.original_key,
      // A direct upload's is not known yet (empty): the pipeline computes it.
      sha256: record.sha256 || undefined,
      checked: {
        bytes: record.bytes,
        format: record.format as OriginalFacts['format'],
        contentType: record.content_type,
        width: record.width,
        height: record.height,
      },
      // The API and the worker read the same configuration: the provider the worker will run.
      aiInProcess: this.config.ai.provider !== 'openai',
      filename: record.filename,
      bytes: record.bytes,
    });
    this.metrics.workflowStarted('processImage');
  }

  /**
   * Opens a direct upload: the item (awaiting its upload), a purge for when the URL has expired unused, and a
   * presigned PUT scoped to one key, content type and exact length.
   */
  async startDirectUpload(userId: string, request: DirectUploadRequest) {
    const imageId = crypto.randomUUID();
    const now = this.now();
    const expiresIn = this.config.urls.expirySeconds;
    const expiresAt = new Date(now.getTime() + expiresIn * 1000).toISOString();
    const record: ImageRecord = {
      ...newImageRecord({
        userId,
        imageId,
        at: now.toISOString(),
        status: 'awaiting_upload',
        filename: request.filename,
        // What was announced; `complete` replaces it with what arrived.
        original: {
          content_type: request.contentType,
          format: request.contentType.replace('image/', ''),
          bytes: request.size,
          sha256: '',
          width: 0,
          height: 0,
        },
        fields: request.fields,
      }),
      upload_expires_at: expiresAt,
    };
    await this.storage.images.create(record);
    try {
      await this.workflows.schedulePurge({
        userId,
        imageId,
        delayMs: uploadPurgeTime(record, expiresIn).getTime() - now.getTime(),
        when: 'never-uploaded',
      });
    } catch (error) {
      // Without its purge an item no upload URL was handed out for would stay for ever: the client asks again.
      await this.storage.images.remove(userId, imageId).catch(() => undefined);
      throw error;
    }
    const url = await this.storage.objects.presignPut(record.original_key, {
      contentType: request.contentType,
      contentLength: request.size,
      expiresIn,
    });
    return {
      imageId,
      upload: {
        method: 'PUT' as const,
        url,
        // Signed into the URL: a PUT without them is refused. If-None-Match keeps a checked original immutable.
        headers: { 'Content-Type': request.contentType, 'Content-Length': String(request.size), 'If-None-Match': '*' },
      },
      expiresAt,
    };
  }

  /**
   * Checks what arrived for a direct upload (size, sniffed type, dimensions, whole structure) and starts its
   * pipeline. Repeating it answers what is true: an upload found to be bytes the owner has answers that image again;
   * one being processed has its run started again under the same id (the first call may have recorded the upload
   * and then failed to reach Temporal); one completed or failed answers its status.
   */
  async completeDirectUpload(userId: string, imageId: string): Promise<CompletedUpload> {
    const record = await ownImage(this.storage.images, userId, imageId);
    const linked = await this.linkedAlready(record);
    if (linked) return { imageId: linked.image_id, status: linked.status, existing: linked };
    if (record.status === 'processing') return this.handOverUploaded(record);
    if (record.status !== 'awaiting_upload') return { imageId: record.image_id, status: record.status };
    const original = await this.inspectDirectUpload(record);
    const sha256 = await this.storage.objects.sha256(record.original_key);
    const at = this.now().toISOString();
    const existing = await this.imageHolding(userId, sha256);
    if (existing) {
      // Kept open and pointing there until its URL expires and its purge takes it: a repeated complete answers
      // the same, and the URL cannot leave a second copy behind.
      if (await this.storage.images.markDuplicate(userId, record.image_id, existing.image_id, at)) {
        await this.storage.objects.delete(record.original_key);
        this.metrics.uploadLinked('direct');
        return { imageId: existing.image_id, status: existing.status, existing };
      }
      return this.completeDirectUpload(userId, imageId);
    }
    const facts = {
      bytes: original.bytes,
      format: original.format,
      content_type: original.contentType,
      width: original.width,
      height: original.height,
      sha256,
    };
    // Another complete, a delete or the expired URL's purge came first: then the answer is what that made of it.
    if (!(await this.storage.images.markUploaded(userId, record.image_id, facts, at))) {
      return this.completeDirectUpload(userId, imageId);
    }
    return this.handOverUploaded({ ...record, ...facts, status: 'processing' });
  }

  /**
   * Starts the run of a direct upload marked uploaded, then cancels the purge of its URL and gives it its checksum.
   * Should the run not start, the image goes back to awaiting its upload, where that purge (still scheduled) takes it
   * unless the client completes it again: an image is never left `processing` with no run.
   */
  private async handOverUploaded(record: ImageRecord): Promise<CompletedUpload> {
    try {
      await this.startProcessing(record);
    } catch (error) {
      await this.storage.images.markNotUploaded(record.user_id, record.image_id).catch(() => undefined);
      throw error;
    }
    await this.workflows.cancelUploadPurge(record.image_id);
    const settled = await this.settleChecksum(record, 'direct');
    if ('existing' in settled) {
      return { imageId: settled.existing.image_id, status: settled.existing.status, existing: settled.existing };
    }
    return { imageId: record.image_id, status: 'processing', started: true };
  }

  /** The image a direct upload was found to duplicate, when nothing has been uploaded to it since. */
  private async linkedAlready(record: ImageRecord): Promise<ImageRecord | undefined> {
    if (record.status !== 'awaiting_upload' || !record.duplicate_of) return undefined;
    if ((await this.storage.objects.size(record.original_key)) !== undefined) return undefined;
    const existing = await this.storage.images.get(record.user_id, record.duplicate_of);
    return existing && holdsItsBytes(existing) ? existing : undefined;
  }

  /** What arrived, if it passes; a bad file is removed and the id stays open until its URL expires, for a retry. */
  private async inspectDirectUpload(record: ImageRecord): Promise<OriginalFacts> {
    let original: OriginalFacts | undefined;
    try {
      original = await inspectStoredOriginal(this.storage.objects, record.original_key, this.limits);
      if (original && original.contentType !== record.content_type) {
        throw new UploadRejection(
          'format',
          `The file is ${original.contentType}, not the ${record.content_type} announced.`,
        );
      }
    } catch (error) {
      if (!(error instanceof UploadRejection)) throw error;
      this.metrics.uploadRefused(error.rule);
      await this.storage.objects.delete(record.original_key);
      throw new UploadRejection(error.rule, error.detail, record.filename);
    }
    if (!original) {
      throw new ConflictError('Nothing has been uploaded for this image yet: PUT the file to the upload URL first.');
    }
    return original;
  }
}

/** Whether the image stands for its bytes: not on its way out, and not failed (a new upload may process them now). */
function holdsItsBytes(record: ImageRecord): boolean {
  return !record.deleted_at && !record.purging_at && record.status !== 'failed' && record.status !== 'awaiting_upload';
}
