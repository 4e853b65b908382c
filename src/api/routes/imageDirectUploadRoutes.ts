import { Router } from 'express';
import type { Config } from '../../config';
import { sanitizeFilename } from '../../images/sanitizeFilename';
import type { ImageIntake } from '../../services/imageIntake';
import { imagePath } from '../../services/imageView';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import { directUploadRequestSchema } from '../schemas/directUpload';
import { parseOrThrow } from '../validation';

/**
 * Direct uploads, for large files and mobile clients: `POST /images/uploads` hands out a presigned PUT scoped to
 * one key, content type and exact length, with a short expiry; the client PUTs the bytes to S3 itself, then
 * `POST /images/{id}/complete` checks what arrived and starts the pipeline.
 */
export function imageDirectUploadRoutes(deps: { config: Config; intake: ImageIntake }): Router {
  const { config, intake } = deps;
  const requestSchema = directUploadRequestSchema(config);
  const router = Router();

  router.post('/images/uploads', async (req, res) => {
    const { filename, content_type: contentType, size, ...fields } = parseOrThrow(requestSchema, req.body ?? {});
    const started = await intake.startDirectUpload(currentUser(req).uid, {
      filename: sanitizeFilename(filename),
      contentType,
      size,
      fields,
    });
    res.status(201).json({
      image_id: started.imageId,
      upload: started.upload,
      expires_at: started.expiresAt,
      complete_url: `${imagePath(apiBase(req, config), started.imageId)}/complete`,
    });
  });

  router.post('/images/:imageId/complete', async (req, res) => {
    const completed = await intake.completeDirectUpload(currentUser(req).uid, String(req.params.imageId));
    const { imageId, status, existing } = completed;
    req.log = req.log.child({ imageId });
    if (completed.started) req.log.info('direct upload completed');
    const path = imagePath(apiBase(req, config), imageId);
    res.setHeader('Location', `${path}/status`);
    const answer = { image_id: imageId, status, status_url: `${path}/status`, image_url: path };
    // Bytes the user already has: that image is the answer, and nothing was started.
    if (existing) res.status(200).json({ ...answer, duplicate_of: imageId });
    // 202 while the image is being processed; one completed or failed already is answered as it is.
    else res.status(status === 'processing' ? 202 : 200).json(answer);
  });
  return router;
}
