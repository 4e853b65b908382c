import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logging/logger';

const REQUEST_ID_HEADER = 'x-request-id';
// A client may name its request, within reason; anything else gets a fresh id.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (kept from X-Request-Id when sane), echoes it back, and logs the request with it. */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const offered = req.headers[REQUEST_ID_HEADER];
      const id = typeof offered === 'string' && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // One short line per request: headers (and their tokens) stay out of the logs.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Under /images: a request about one image logs its id with every line (`/images/{id}/...`). */
export const imageIdLogging: RequestHandler = (req, _res, next) => {
  const imageId = req.path.split('/')[1];
  if (imageId && UUID.test(imageId)) req.log = req.log.child({ imageId });
  next();
};
