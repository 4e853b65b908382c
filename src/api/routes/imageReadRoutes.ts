import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Config } from '../../config';
import type { ImageWorkflows } from '../../images/imageWorkflows';
import type { ImageRecord } from '../../images/imageRecord';
import type { ImageRepository } from '../../images/imageRepository';
import type { ImageUrls } from '../../images/imageUrls';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import { imageView } from '../imageView';
import { ProblemError } from '../problem';
import { encodeCursor, listQuerySchema } from '../schemas/listQuery';
import { parseOrThrow } from '../validation';

export interface ReadDependencies {
  config: Config;
  images: ImageRepository;
  urls: ImageUrls;
  workflows: ImageWorkflows;
}

const imageIdSchema = z.uuid();

/**
 * The caller's image named in the path, or a 404 that reads the same whether the id is malformed, unknown or
 * another user's: nothing is learned about images that are not yours. Soft-deleted images count as gone, except
 * to the routes that restore or purge them.
 */
export async function ownImage(
  req: Request,
  images: ImageRepository,
  options: { includeDeleted?: boolean } = {},
): Promise<ImageRecord> {
  const imageId = String(req.params.imageId);
  const record = imageIdSchema.safeParse(imageId).success ? await images.get(currentUser(req).uid, imageId) : undefined;
  if (!record || (record.deleted_at && !options.includeDeleted))
    throw new ProblemError({ status: 404, detail: `No image ${imageId}.` });
  req.log = req.log.child({ imageId });
  return record;
}

export function imageReadRoutes(deps: ReadDependencies): Router {
  const { config, images, urls } = deps;
  const router = Router();

  router.get('/images', async (req, res) => {
    const query = parseOrThrow(listQuerySchema, req.query, 'query');
    const { cursor, limit, ...filters } = query;
    const page = await images.list(currentUser(req).uid, { limit, after: cursor, filters });
    const base = apiBase(req, config);
    res.json({
      items: await Promise.all(page.items.map((record) => imageView(record, urls, base))),
      next_cursor: page.next ? encodeCursor(page.next) : null,
    });
  });

  router.get('/images/:imageId', async (req, res) => {
    res.json(await imageView(await ownImage(req, images), urls, apiBase(req, config)));
  });

  router.get('/images/:imageId/status', async (req, res) => {
    const record = await ownImage(req, images);
    const progress = await deps.workflows.progress(record.image_id);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      image_id: record.image_id,
      // The item is the record of truth; the run adds the current step and each step's timing.
      status: record.status,
      failure_reason: record.failure_reason,
      current_step: record.status === 'processing' ? progress?.current_step : undefined,
      steps: progress?.steps,
      cluster: progress?.cluster,
      workflow_id: record.workflow_id,
      updated_at: record.updated_at,
    });
  });

  router.get('/images/:imageId/download', async (req, res) => {
    const record = await ownImage(req, images);
    const signed = await urls.signed(record.original_key, record.filename);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ download_url: signed.url, expires_at: signed.expires_at });
  });
  return router;
}
