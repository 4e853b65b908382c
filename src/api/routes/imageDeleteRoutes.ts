import type { ImageDeletion } from '../../services/imageDeletion';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/**
 * `DELETE /images/{id}` hides an image, restorable for DELETE_RETENTION_SECONDS, after which a durable timer
 * purges it; `?hard=true` cancels its pipeline and removes everything now. `POST /images/{id}/restore` undoes a
 * soft delete. `DELETE /images` does either for up to 100 ids, answering per id.
 */
export function imageDeleteRoutes(deps: {
  deletion: ImageDeletion;
}): Pick<OperationHandlers, 'deleteImages' | 'deleteImage' | 'restoreImage'> {
  const { deletion } = deps;
  return {
    deleteImages: async ({ body }, { req, reply }) => {
      reply(200, { results: await deletion.deleteMany(currentUser(req).uid, body.image_ids, body.hard) });
    },
    deleteImage: async ({ params, query }, { req, reply }) => {
      const { status: _status, ...outcome } = await deletion.deleteOne(
        currentUser(req).uid,
        params.imageId,
        query.hard === 'true',
      );
      req.log.info({ deleted: outcome.deleted }, 'image deleted');
      reply(200, outcome);
    },
    restoreImage: async ({ params }, { req, reply }) => {
      const restored = await deletion.restore(currentUser(req).uid, params.imageId);
      req.log.info('image restored');
      reply(200, restored);
    },
  };
}
