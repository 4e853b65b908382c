import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logging/logger';

const REQUEST_ID_HEADER = 'x-request-id';
// A client may name its request, within reason; anything else gets a fresh id.
// API Gateway names requests in base64 (`+`, `/` and `=` among its characters).
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

/**
 * Gives every request an id (kept from X-Request-Id when sane), echoes it back, and logs the request with it.
 * A request is logged as completed when its answer was all handed over ('finish'), aborted when the connection closed
 * first. That is judged by the event itself: under AWS Lambda's adapter 'finish' comes before `writableEnded` is set,
 * which pino-http's own test would read as aborted.
 */
export function requestLogging(logger: Logger): RequestHandler[] {
  const finished = new WeakSet<object>();
  const markFinished: RequestHandler = (_req, res, next) => {
    res.once('finish', () => finished.add(res));
    next();
  };
  const logging = pinoHttp({
    logger,
    genReqId: (req, res) => {
      const offered = req.headers[REQUEST_ID_HEADER];
      const id = typeof offered === 'string' && ACCEPTABLE_REQUEST_ID.test(offered) ? offered : crypto.randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    customAttributeKeys: { reqId: 'requestId' },
    // Every line logged for the request carries its id as `requestId` (without this, pino-http puts it only in
    // `req`, whose serializer below keeps the method and URL alone).
    quietReqLogger: true,
    // One short line per request: headers (and their tokens) stay out of the logs.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    customSuccessMessage: (req, res) =>
      finished.has(res) && !req.readableAborted ? 'request completed' : 'request aborted',
    autoLogging: { ignore: (req) => req.url === '/healthz' },
  });
  return [markFinished, logging];
}
