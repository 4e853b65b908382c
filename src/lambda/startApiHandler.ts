import { createApiClients } from '../api/apiClients';
import { createApp } from '../api/app';
import { PROBLEM_CONTENT_TYPE } from '../api/problem';
import { loadApiConfigWithSecrets } from '../config';
import { createLogger } from '../logging/logger';
import { lambdaHandlerFor, type ApiHandler } from './apiHandler';

export interface ApiHandlerOptions {
  /** Where the bundle keeps the gallery's files. */
  galleryDir?: string;
}

/** Builds the API once for this container: secrets resolved, configuration validated, clients and app created. */
async function buildApiHandler(env: NodeJS.ProcessEnv, options: ApiHandlerOptions): Promise<ApiHandler> {
  const config = await loadApiConfigWithSecrets(env);
  const logger = createLogger('api', config.logLevel);
  // Created once per container and reused by every invocation; the Temporal connection opens on first use.
  const clients = createApiClients(config);
  logger.info({ function: env.AWS_LAMBDA_FUNCTION_NAME }, 'api ready in AWS Lambda');
  return lambdaHandlerFor(createApp({ config, logger, clients, galleryDir: options.galleryDir }), logger);
}

/**
 * The Lambda handler of the API. Start-up begins when the module is loaded (Lambda's init phase) and is kept for
 * every later invocation. If it fails (a secret unreadable, a bad variable), the reason naming the variable goes to
 * the function's log, the request is answered 503, and the next invocation tries again: a secret just created or a
 * permission just granted then takes effect without a redeploy.
 */
export function startApiHandler(env: NodeJS.ProcessEnv = process.env, options: ApiHandlerOptions = {}): ApiHandler {
  let starting: Promise<ApiHandler> | undefined;
  const start = () => {
    starting ??= buildApiHandler(env, options).catch((error: unknown) => {
      starting = undefined;
      process.stderr.write(`api failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
      throw error;
    });
    return starting;
  };
  start().catch(() => undefined);
  return async (event, context) => {
    let handle: ApiHandler;
    try {
      handle = await start();
    } catch {
      const requestId = event.headers?.['x-request-id'] ?? event.requestContext?.requestId ?? '';
      return {
        statusCode: 503,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '30', 'x-request-id': requestId },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'The service could not start. Try again shortly.',
          instance: event.rawPath,
        }),
      };
    }
    return handle(event, context);
  };
}
