import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** The object is not in the bucket. */
export class ObjectMissingError extends Error {
  constructor(readonly key: string) {
    super(`The object ${key} is not in storage.`);
    this.name = 'ObjectMissingError';
  }
}

export interface ObjectStream {
  body: Readable;
  contentType?: string;
  contentLength?: number;
  etag?: string;
}

// Parts of 5 MiB (S3's minimum), two in flight: memory per streamed upload stays near 10 MiB whatever its size.
const PART_SIZE = 5 * 1024 * 1024;
const PARTS_IN_FLIGHT = 2;

const httpStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/**
 * The one place the service talks to S3: originals, thumbnails and re-clustering plans of one bucket, read, written,
 * listed, deleted and presigned. Everything else names objects by the keys of src/contracts/objectKeys.ts.
 */
export class ImageObjects {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    /** Signs URLs others fetch: the same store, reached at the endpoint clients use (S3_PUBLIC_ENDPOINT). */
    private readonly presignS3: S3Client = s3,
  ) {}

  /**
   * Streams `body` into `key` (a multipart upload above one part), never holding it whole in memory. If `body`
   * fails (an error, or destroyed before its end), the upload fails with it and its multipart upload is aborted
   * before this returns, so no part is left behind; then any upload of `key` still open is aborted too.
   */
  async putStream(key: string, body: Readable, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    try {
      // Not raced against the body's own error: done() rejects once the body's reader has failed and the multipart
      // upload has been aborted, so nothing is left running behind the caller's back.
      await upload.done();
    } catch (error) {
      await this.abortUploads(key).catch(() => undefined);
      throw error;
    }
  }

  /** Aborts every multipart upload still open under `prefix` (one key, or a folder); returns how many there were. */
  async abortUploads(prefix: string, olderThan?: Date): Promise<number> {
    let aborted = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (olderThan && upload.Initiated && upload.Initiated > olderThan) continue;
        await this.s3.send(
          new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }),
        );
        aborted++;
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
    } while (keyMarker);
    return aborted;
  }

  async put(
    key: string,
    body: Buffer | string,
    options: { contentType: string; cacheControl?: string },
  ): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        CacheControl: options.cacheControl,
      }),
    );
  }

  /** The object as a stream; `not-modified` when `ifNoneMatch` still holds. */
  async read(key: string, options: { ifNoneMatch?: string } = {}): Promise<ObjectStream | 'not-modified'> {
    try {
      const object = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, IfNoneMatch: options.ifNoneMatch }),
      );
      return {
        body: object.Body as Readable,
        contentType: object.ContentType,
        contentLength: object.ContentLength,
        etag: object.ETag,
      };
    } catch (error) {
      if (httpStatus(error) === 304) return 'not-modified';
      if (error instanceof NoSuchKey) throw new ObjectMissingError(key);
      throw error;
    }
  }

  /** The object as a stream (for the worker, which never sends If-None-Match). */
  async readStream(key: string): Promise<Readable> {
    return ((await this.read(key)) as ObjectStream).body;
  }

  /** A small object whole, with its content type. */
  async readBytes(key: string): Promise<{ bytes: Buffer; contentType?: string }> {
    const object = (await this.read(key)) as ObjectStream;
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    return { bytes: Buffer.concat(chunks), contentType: object.contentType };
  }

  /** The object's SHA-256 (hex), read through once as a stream. */
  async sha256(key: string): Promise<string> {
    const hash = crypto.createHash('sha256');
    for await (const chunk of await this.readStream(key)) hash.update(chunk as Buffer);
    return hash.digest('hex');
  }

  /** Part of an object: `bytes=0-99`, or `bytes=-64` for its last 64 bytes. */
  async readRange(key: string, range: string): Promise<Buffer> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey) throw new ObjectMissingError(key);
      throw error;
    }
  }

  /** The object's size, or undefined when there is none. */
  async size(key: string): Promise<number | undefined> {
    try {
      return (await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }))).ContentLength ?? 0;
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw error;
    }
  }

  async readJson<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse((await this.readBytes(key)).bytes.toString('utf8')) as T;
    } catch (error) {
      if (error instanceof ObjectMissingError) return undefined;
      throw error;
    }
  }

  async putJson(key: string, value: unknown): Promise<void> {
    await this.put(key, JSON.stringify(value), { contentType: 'application/json' });
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Deletes every object under `prefix`, a listing page at a time; returns how many there were. */
  async deletePrefix(prefix: string): Promise<number> {
    let removed = 0;
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length > 0) {
        const result = await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
        );
        if (result.Errors?.length) {
          throw new Error(
            `could not delete ${result.Errors.length} objects under ${prefix}: ${result.Errors[0]!.Message}`,
          );
        }
        removed += keys.length;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return removed;
  }

  /** A time-limited GET of one object; `downloadAs` makes browsers save it under that name. */
  async presignGet(key: string, options: { expiresIn: number; downloadAs?: string }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: options.downloadAs
        ? `attachment; filename*=UTF-8''${encodeURIComponent(options.downloadAs)}`
        : undefined,
    });
    return getSignedUrl(this.presignS3, command, { expiresIn: options.expiresIn });
  }

  /**
   * A time-limited PUT of one object whose content type and exact length are signed: S3 refuses any other. It can
   * only create the object: `If-None-Match: *` is signed too, so once the object exists (the upload was checked and
   * is being processed), a second PUT with the same URL is refused with 412 instead of replacing what was checked.
   * The client must send those three headers.
   */
  async presignPut(
    key: string,
    options: { contentType: string; contentLength: number; expiresIn: number },
  ): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentType: options.contentType,
      ContentLength: options.contentLength,
      IfNoneMatch: '*',
    });
    return getSignedUrl(this.presignS3, command, {
      expiresIn: options.expiresIn,
      signableHeaders: new Set(['content-type', 'content-length', 'if-none-match']),
    });
  }

  /** Throws unless the bucket answers (readiness). */
  async checkBucket(signal?: AbortSignal): Promise<void> {
    await this.s3.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal: signal });
  }
}
