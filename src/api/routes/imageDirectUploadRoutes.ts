import crypto from 'node:crypto';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { ImageRepository } from '../../images/imageRepository';
import type { ImageWorkflows } from '../../images/imageWorkflows';
import { newImageRecord } from '../../images/newImageRecord';
import { sanitizeFilename } from '../../images/sanitizeFilename';
import { MIME_TYPES } from '../../images/sniffImage';
import { apiBase } from '../apiBase';
import type { ApiMetrics } from '../apiMetrics';
import { currentUser } from '../auth/authenticate';
import { ProblemError } from '../problem';
import { imageFieldsSchema } from '../schemas/imageFields';
import { inspectStoredOriginal } from '../../images/inspectStoredOriginal';
import { UploadRejection, uploadLimits } from '../../images/uploadRules';
import { parseOrThrow } from '../validation';
import { ownImage } from './imageReadRoutes';

export interface DirectUploadDependencies {
  config: Config;
  s3: S3Client;
  /** Signs the PUT URL for the endpoint clients reach S3 on. */
  presignS3: S3Client;
  images: ImageRepository;
  workflows: ImageWorkflows;
  metrics: ApiMetrics;
  now: () => Date;
}

// An upload URL not used by its expiry is purged a little after it, once any PUT still in flight has ended.
const EXPIRY_GRACE_MS = 60_000;

export function directUploadRequestSchema(config: Config) {
  return imageFieldsSchema.extend({
    filename: z.string().min(1).max(1000),
    content_type: z.enum(
      Object.values(MIME_TYPES) as [string, ...string[]],
      'must be image/jpeg, image/png, image/gif or image/webp',
    ),
    size: z.number().int().min(config.uploads.minBytes).max(config.uploads.maxBytes),
  });
}

/**
 * Direct uploads, for large files and mobile clients: `POST /images/uploads` hands out a presigned PUT scoped to
 * one key, content type and exact length, with a short expiry; the client PUTs the bytes to S3 itself, then
 * `POST /images/{id}/complete` checks what arrived (size, sniffed type, dimensions) and starts the pipeline.
 * An upload never completed is purged after its URL expires.
 */
export function imageDirectUploadRoutes(deps: DirectUploadDependencies): Router {
  const { config, images, workflows } = deps;
  const requestSchema = directUploadRequestSchema(config);
  const router = Router();

  router.post('/images/uploads', async (req, res) => {
    const request = parseOrThrow(requestSchema, req.body ?? {});
    const userId = currentUser(req).uid;
    const imageId = crypto.randomUUID();
    const now = deps.now();
    const expiresIn = config.urls.expirySeconds;
    const record = newImageRecord({
      userId,
      imageId,
      at: now.toISOString(),
      status: 'awaiting_upload',
      filename: sanitizeFilename(request.filename),
      // What was announced; /complete replaces it with what arrived (and the pipeline adds the SHA-256).
      original: {
        content_type: request.content_type,
        format: request.content_type.replace('image/', ''),
        bytes: request.size,
        sha256: '',
        width: 0,
        height: 0,
      },
      fields: request,
    });
    await images.create(record);
    await workflows.schedulePurge({
      userId,
      imageId,
      delayMs: expiresIn * 1000 + EXPIRY_GRACE_MS,
      when: 'never-uploaded',
    });
    // Content type and length are signed: S3 refuses a PUT of any other type or size.
    const uploadUrl = await getSignedUrl(
      deps.presignS3,
      new PutObjectCommand({
        Bucket: config.s3.bucket,
        Key: record.original_key,
        ContentType: request.content_type,
        ContentLength: request.size,
      }),
      { expiresIn, signableHeaders: new Set(['content-type', 'content-length']) },
    );
    const base = `${apiBase(req, config)}/api/v1/images/${imageId}`;
    res.status(201).json({
      image_id: imageId,
      upload: {
        method: 'PUT',
        url: uploadUrl,
        headers: { 'Content-Type': request.content_type, 'Content-Length': String(request.size) },
      },
      expires_at: new Date(now.getTime() + expiresIn * 1000).toISOString(),
      complete_url: `${base}/complete`,
    });
  });

  router.post('/images/:imageId/complete', async (req, res) => {
    const record = await ownImage(req, images);
    const base = `${apiBase(req, config)}/api/v1/images/${record.image_id}`;
    const accepted = { image_id: record.image_id, status: 'processing', status_url: `${base}/status`, image_url: base };
    if (record.status !== 'awaiting_upload') {
      // Completed already: the same answer again. Its run is started again too (the same workflow id, so never a
      // second run): the first complete may have recorded the upload and then failed to reach Temporal.
      if (record.status === 'processing') {
        await workflows.start({
          userId: record.user_id,
          imageId: record.image_id,
          originalKey: record.original_key,
          filename: record.filename,
          bytes: record.bytes,
        });
      }
      res.status(202).json(accepted);
      return;
    }
    let original;
    try {
      original = await inspectStoredOriginal(deps.s3, config.s3.bucket, record.original_key, uploadLimits(config));
    } catch (error) {
      if (!(error instanceof UploadRejection)) throw error;
      deps.metrics.uploadRefused(error.rule);
      // A bad file is removed; the image id stays open until its URL expires, for a corrected upload.
      await deps.s3.send(new DeleteObjectCommand({ Bucket: config.s3.bucket, Key: record.original_key }));
      throw new ProblemError(error.toProblem(record.filename));
    }
    if (!original)
      throw new ProblemError({
        status: 409,
        detail: 'Nothing has been uploaded for this image yet: PUT the file to the upload URL first.',
      });
    if (original.contentType !== record.content_type) {
      deps.metrics.uploadRefused('format');
      await deps.s3.send(new DeleteObjectCommand({ Bucket: config.s3.bucket, Key: record.original_key }));
      throw new ProblemError(
        new UploadRejection(
          'format',
          `The file is ${original.contentType}, not the ${record.content_type} announced.`,
        ).toProblem(record.filename),
      );
    }
    const at = deps.now().toISOString();
    const facts = {
      bytes: original.bytes,
      format: original.format,
      content_type: original.contentType,
      width: original.width,
      height: original.height,
    };
    if (await images.markUploaded(record.user_id, record.image_id, facts, at)) {
      await workflows.cancelPurge(record.image_id);
      await workflows.start({
        userId: record.user_id,
        imageId: record.image_id,
        originalKey: record.original_key,
        filename: record.filename,
        bytes: original.bytes,
      });
      deps.metrics.uploadAccepted('direct', original.bytes);
      deps.metrics.workflowStarted('processImage');
      req.log.info({ workflowId: record.workflow_id, bytes: original.bytes }, 'direct upload completed');
    }
    res.setHeader('Location', accepted.status_url);
    res.status(202).json(accepted);
  });
  return router;
}
