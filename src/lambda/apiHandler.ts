import serverlessExpress from '@codegenie/serverless-express';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Express } from 'express';
import type { Logger } from '../logging/logger';

/** What API Gateway HTTP APIs (payload format 2.0) and Lambda function URLs both send and expect back. */
export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** The only event shape the API takes: anything else is a deployment mistake, said in the function's own error. */
function assertHttpEventV2(event: APIGatewayProxyEventV2): void {
  if (event?.version !== '2.0' || !event.requestContext?.http?.method) {
    throw new Error(
      'The imagepipe API handler takes API Gateway HTTP API events with payload format 2.0, or function URL events',
    );
  }
}

/**
 * The Express app as a Lambda handler, through @codegenie/serverless-express: each event becomes a request the app
 * answers exactly as it answers one over a socket. A request without an X-Request-Id takes API Gateway's own request
 * id, so the API's logs, its answer and API Gateway's access log all name the same id.
 */
export function lambdaHandlerFor(app: Express, logger: Logger): ApiHandler {
  const forward = serverlessExpress({
    app,
    eventSourceName: 'AWS_API_GATEWAY_V2',
    // The adapter logs events (headers with tokens) at debug level: only its errors go to the API's log.
    log: {
      error: (message: string, error: unknown) => logger.error({ err: error }, message),
      warn: () => undefined,
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
  }) as unknown as ApiHandler;
  return async (event, context) => {
    assertHttpEventV2(event);
    const headers = { ...event.headers };
    headers['x-request-id'] ??= event.requestContext.requestId;
    return forward({ ...event, headers }, context);
  };
}
