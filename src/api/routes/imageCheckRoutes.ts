import type { Config } from '../../config';
import type { ImageIntake } from '../../services/imageIntake';
import { imagePath } from '../../services/imageView';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers } from '../contract/mountOperations';

/**
 * `POST /images/checks`: which of a client's files (SHA-256 and size) the user already has, so it uploads only the
 * others. Answers in the order asked, with the existing image's id and status where there is one.
 */
export function imageCheckRoutes(deps: { config: Config; intake: ImageIntake }): Pick<OperationHandlers, 'checkFiles'> {
  const { config, intake } = deps;
  return {
    checkFiles: async ({ body }, { req, res, reply }) => {
      const base = apiBase(req, config);
      const results = await intake.check(currentUser(req).uid, body.files);
      res.setHeader('Cache-Control', 'no-store');
      reply(200, {
        results: results.map((result) =>
          result.exists
            ? {
                sha256: result.sha256,
                size: result.size,
                exists: true,
                image_id: result.image.image_id,
                // An image that stands for its bytes is never failed, deleted or still awaiting them.
                status: result.image.status as 'processing' | 'completed',
                image_url: imagePath(base, result.image.image_id),
              }
            : { sha256: result.sha256, size: result.size, exists: false },
        ),
      });
    },
  };
}
