import { Router } from 'express';
import type { Config } from '../../config';
import type { ImageIntake } from '../../services/imageIntake';
import { imagePath } from '../../services/imageView';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import { fileChecksSchema } from '../schemas/fileChecks';
import { parseOrThrow } from '../validation';

/**
 * `POST /images/checks`: which of a client's files (SHA-256 and size) the user already has, so it uploads only the
 * others. Answers in the order asked, with the existing image's id and status where there is one.
 */
export function imageCheckRoutes(deps: { config: Config; intake: ImageIntake }): Router {
  const { config, intake } = deps;
  const router = Router();
  router.post('/images/checks', async (req, res) => {
    const { files } = parseOrThrow(fileChecksSchema, req.body ?? {});
    const base = apiBase(req, config);
    const results = await intake.check(currentUser(req).uid, files);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      results: results.map((result) =>
        result.exists
          ? {
              sha256: result.sha256,
              size: result.size,
              exists: true,
              image_id: result.image.image_id,
              status: result.image.status,
              image_url: imagePath(base, result.image.image_id),
            }
          : { sha256: result.sha256, size: result.size, exists: false },
      ),
    });
  });
  return router;
}
