import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isGrpcDeadlineError, isGrpcServiceError, ServiceError } from '@temporalio/client';
import { UploadRejection } from '../images/uploadRules';
import { ConflictError, InvalidInputError, NotFoundError, TooSoonError } from '../services/serviceErrors';
import { uploadProblem } from './uploadProblems';

/** An RFC 9457 problem: what every error response of the API is. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  /** A URI naming the kind of problem; `about:blank` when the status code says it all. */
  type?: string;
  /** Response headers that belong with this problem (WWW-Authenticate, Retry-After...); not part of the body. */
  headers?: Record<string, string>;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Thrown by handlers to answer with a problem; anything else thrown becomes a 500 that reveals nothing. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? STATUS_CODES[problem.status] ?? 'Error');
    this.name = 'ProblemError';
    this.problem = problem;
  }
}

/** A problem as its JSON reads: `type` and `title` always there (about:blank, and the status's own words). */
export function problemBody(problem: Problem) {
  const { status, title, type, headers: _headers, ...rest } = problem;
  return { type: type ?? 'about:blank', title: title ?? STATUS_CODES[status] ?? 'Error', status, ...rest };
}

export function sendProblem(res: Response, problem: Problem): void {
  for (const [name, value] of Object.entries(problem.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify({ ...problemBody(problem), instance: res.req.originalUrl }));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, { status: 404, detail: `No route for ${req.method} ${req.path}` });
};

/** What a service refused, as a problem: an unknown image, a conflict with its state, a file that broke a rule. */
function serviceProblem(error: unknown): Problem | undefined {
  if (error instanceof NotFoundError) return { status: 404, detail: error.detail };
  if (error instanceof ConflictError) return { status: 409, title: error.title, detail: error.detail };
  if (error instanceof InvalidInputError) {
    // As a validation problem of the request's own fields reads (see parseOrThrow).
    return {
      status: 400,
      type: 'urn:imagepipe:problem:validation',
      title: 'Invalid request',
      detail: `Invalid request: ${error.field}: ${error.detail}`,
      errors: [{ field: error.field, message: error.detail }],
    };
  }
  if (error instanceof TooSoonError) {
    return {
      status: 429,
      type: 'urn:imagepipe:problem:too-soon',
      detail: error.detail,
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof UploadRejection) return uploadProblem(error, error.filename ?? 'upload');
  return undefined;
}

/** Errors raised by Express's own body parsers carry a status and a type we can name for the client. */
function parserProblem(error: { status?: number; type?: string; message?: string }): Problem | undefined {
  if (error.type === 'entity.too.large') return { status: 413, detail: 'The request body is larger than allowed.' };
  if (error.type === 'entity.parse.failed') return { status: 400, detail: 'The request body is not valid JSON.' };
  if (typeof error.status === 'number' && error.status >= 400 && error.status < 500)
    return { status: error.status, detail: error.message };
  return undefined;
}

// gRPC status UNAVAILABLE (the server cannot be reached).
const GRPC_UNAVAILABLE = 14;

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * A dependency that is down or overloaded (S3, DynamoDB, Temporal) is not the client's fault and will pass:
 * 503 with Retry-After, so clients back off and try again instead of reporting a bug.
 */
function dependencyProblem(error: unknown): Problem | undefined {
  const candidate = error as
    { code?: string; name?: string; $metadata?: { httpStatusCode?: number }; cause?: { code?: string } } | undefined;
  if (!candidate || typeof candidate !== 'object') return undefined;
  const code = candidate.code ?? candidate.cause?.code;
  const awsStatus = candidate.$metadata?.httpStatusCode;
  const unreachable =
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    candidate.name === 'TimeoutError' ||
    // Temporal's client: the server could not be reached, or not in time (gRPC UNAVAILABLE / DEADLINE_EXCEEDED).
    (error instanceof ServiceError &&
      isGrpcServiceError(error.cause) &&
      Number(error.cause.code) === GRPC_UNAVAILABLE) ||
    isGrpcDeadlineError(error) ||
    (awsStatus !== undefined && awsStatus >= 500) ||
    // The AWS SDK's wrapper of a network failure: attempts were made, no HTTP response came back.
    (candidate.$metadata !== undefined && awsStatus === undefined) ||
    candidate.name === 'ProvisionedThroughputExceededException' ||
    candidate.name === 'SlowDown';
  return unreachable
    ? {
        status: 503,
        detail: 'A storage or workflow service is unavailable. Try again shortly.',
        headers: { 'Retry-After': '5' },
      }
    : undefined;
}

export const problemErrorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const known =
    error instanceof ProblemError
      ? error.problem
      : (serviceProblem(error) ?? parserProblem(error as Record<string, never>));
  if (known) {
    sendProblem(res, known);
    return;
  }
  const unavailable = dependencyProblem(error);
  if (unavailable) {
    req.log.warn({ err: error }, 'dependency unavailable');
    sendProblem(res, unavailable);
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  sendProblem(res, {
    status: 500,
    detail: 'An unexpected error occurred. The request id identifies it in our logs.',
    request_id: req.id,
  });
};
