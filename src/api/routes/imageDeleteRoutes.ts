import { Router } from 'express';
import type { ImageDeletion } from '../../services/imageDeletion';
import { currentUser } from '../auth/authenticate';
import { bulkDeleteSchema, hardQuerySchema } from '../schemas/deleteRequests';
import { parseOrThrow } from '../validation';

/**
 * `DELETE /images/{id}` hides an image, restorable for DELETE_RETENTION_SECONDS, after which a durable timer
 * purges it; `?hard=true` cancels its pipeline and removes everything now. `POST /images/{id}/restore` undoes a
 * soft delete. `DELETE /images` does either for up to 100 ids, answering per id.
 */
export function imageDeleteRoutes(deps: { deletion: ImageDeletion }): Router {
  const { deletion } = deps;
  const router = Router();

  router.delete('/images', async (req, res) => {
    const { image_ids: imageIds, hard } = parseOrThrow(bulkDeleteSchema, req.body ?? {});
    res.json({ results: await deletion.deleteMany(currentUser(req).uid, imageIds, hard) });
  });

  router.delete('/images/:imageId', async (req, res) => {
    const { hard } = parseOrThrow(hardQuerySchema, req.query, 'query');
    const { status: _status, ...outcome } = await deletion.deleteOne(
      currentUser(req).uid,
      String(req.params.imageId),
      hard === 'true',
    );
    req.log.info({ imageId: outcome.image_id, deleted: outcome.deleted }, 'image deleted');
    res.json(outcome);
  });

  router.post('/images/:imageId/restore', async (req, res) => {
    const restored = await deletion.restore(currentUser(req).uid, String(req.params.imageId));
    req.log.info({ imageId: restored.image_id }, 'image restored');
    res.json(restored);
  });
  return router;
}
