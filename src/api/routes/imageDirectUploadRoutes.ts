import type { Config } from '../../config';
import { sanitizeFilename } from '../../images/sanitizeFilename';
import type { ImageIntake } from '../../services/imageIntake';
import { imagePath } from '../../services/imageView';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/**
 * Direct uploads, for large files and mobile clients: `POST /images/uploads` hands out a presigned PUT scoped to
 * one key, content type and exact length, with a short expiry; the client PUTs the bytes to S3 itself, then
 * `POST /images/{id}/complete` checks what arrived and starts the pipeline.
 */
export function imageDirectUploadRoutes(deps: {
  config: Config;
  intake: ImageIntake;
}): Pick<OperationHandlers, 'startDirectUpload' | 'completeDirectUpload'> {
  const { config, intake } = deps;
  return {
    startDirectUpload: async ({ body }, { req, reply }) => {
      const { filename, content_type: contentType, size, ...fields } = body;
      const started = await intake.startDirectUpload(currentUser(req).uid, {
        filename: sanitizeFilename(filename),
        contentType,
        size,
        fields,
      });
      reply(201, {
        image_id: started.imageId,
        upload: started.upload,
        expires_at: started.expiresAt,
        complete_url: `${imagePath(apiBase(req, config), started.imageId)}/complete`,
      });
    },
    completeDirectUpload: async ({ params }, { req, res, reply }) => {
      const completed = await intake.completeDirectUpload(currentUser(req).uid, params.imageId);
      const { imageId, status, existing } = completed;
      if (completed.started) req.log.info('direct upload completed');
      const path = imagePath(apiBase(req, config), imageId);
      res.setHeader('Location', `${path}/status`);
      const answer = { image_id: imageId, status, status_url: `${path}/status`, image_url: path };
      // Bytes the user already has: that image is the answer, and nothing was started.
      if (existing) reply(200, { ...answer, duplicate_of: imageId });
      // 202 while the image is being processed; one completed or failed already is answered as it is.
      else reply(status === 'processing' ? 202 : 200, answer);
    },
  };
}
