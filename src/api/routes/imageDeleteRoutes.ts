import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { ImagePurger } from '../../images/imagePurger';
import type { ImageRepository } from '../../images/imageRepository';
import type { ImageWorkflows } from '../../images/imageWorkflows';
import { currentUser } from '../auth/authenticate';
import { ProblemError } from '../problem';
import { parseOrThrow } from '../validation';
import { ownImage } from './imageReadRoutes';

export interface DeleteDependencies {
  config: Config;
  images: ImageRepository;
  purger: ImagePurger;
  workflows: ImageWorkflows;
  now: () => Date;
}

// After a hard delete, one more sweep once any activity still in flight has timed out (the longest is 2 minutes).
const HARD_DELETE_SWEEP_MS = 3 * 60 * 1000;

export const hardQuerySchema = z.object({ hard: z.enum(['true', 'false']).default('false') }).strict();
export const bulkDeleteSchema = z
  .object({
    image_ids: z.array(z.uuid()).min(1, 'at least one id').max(100, 'at most 100 ids'),
    hard: z.boolean().default(false),
  })
  .strict();

type DeleteOutcome =
  | { image_id: string; status: 200; deleted: 'soft'; restorable_until: string }
  | { image_id: string; status: 200; deleted: 'hard' }
  | { image_id: string; status: 404 };

/**
 * `DELETE /images/{id}` hides an image, restorable for DELETE_RETENTION_SECONDS, after which a durable timer
 * purges it; `?hard=true` cancels its pipeline and removes everything now. `POST /images/{id}/restore` undoes a
 * soft delete. `DELETE /images` does either for up to 100 ids, answering per id.
 */
export function imageDeleteRoutes(deps: DeleteDependencies): Router {
  const { images, workflows } = deps;

  async function softDelete(userId: string, imageId: string): Promise<DeleteOutcome> {
    const now = deps.now();
    const purgeAfter = new Date(now.getTime() + deps.config.deleteRetentionSeconds * 1000).toISOString();
    if (!(await images.softDelete(userId, imageId, now.toISOString(), purgeAfter)))
      return { image_id: imageId, status: 404 };
    try {
      await workflows.schedulePurge({
        userId,
        imageId,
        delayMs: deps.config.deleteRetentionSeconds * 1000,
        when: 'still-deleted',
      });
    } catch (error) {
      // Without its purge the delete would never finish: undo it, so the client can simply try again.
      await images.restore(userId, imageId, deps.now().toISOString());
      throw error;
    }
    return { image_id: imageId, status: 200, deleted: 'soft', restorable_until: purgeAfter };
  }

  async function hardDelete(userId: string, imageId: string): Promise<DeleteOutcome> {
    if (!(await images.get(userId, imageId))) return { image_id: imageId, status: 404 };
    await workflows.cancelProcessing(imageId);
    await deps.purger.purge(userId, imageId);
    await workflows.schedulePurge({ userId, imageId, delayMs: HARD_DELETE_SWEEP_MS, when: 'always' });
    return { image_id: imageId, status: 200, deleted: 'hard' };
  }

  const remove = (userId: string, imageId: string, hard: boolean) =>
    hard ? hardDelete(userId, imageId) : softDelete(userId, imageId);

  const router = Router();

  router.delete('/images', async (req, res) => {
    const { image_ids: imageIds, hard } = parseOrThrow(bulkDeleteSchema, req.body ?? {});
    const userId = currentUser(req).uid;
    const results: DeleteOutcome[] = [];
    for (const imageId of new Set(imageIds)) results.push(await remove(userId, imageId, hard));
    res.json({ results });
  });

  router.delete('/images/:imageId', async (req, res) => {
    const { hard } = parseOrThrow(hardQuerySchema, req.query, 'query');
    const record = await ownImage(req, images, { includeDeleted: hard === 'true' });
    const outcome = await remove(record.user_id, record.image_id, hard === 'true');
    if (outcome.status === 404) throw new ProblemError({ status: 404, detail: `No image ${record.image_id}.` });
    req.log.info({ deleted: outcome.deleted }, 'image deleted');
    const { status: _status, ...body } = outcome;
    res.json(body);
  });

  router.post('/images/:imageId/restore', async (req, res) => {
    const record = await ownImage(req, images, { includeDeleted: true });
    if (!record.deleted_at) throw new ProblemError({ status: 409, detail: `Image ${record.image_id} is not deleted.` });
    await workflows.cancelPurge(record.image_id);
    await images.restore(record.user_id, record.image_id, deps.now().toISOString());
    req.log.info('image restored');
    res.json({ image_id: record.image_id, restored: true });
  });
  return router;
}
