import {
  createDocument,
  type ZodOpenApiContentObject,
  type ZodOpenApiOperationObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import type { Config } from '../../config';
import type { OperationSpec, ResponseSpec } from './operation';
import { apiOperations } from './operations';
import { problemSchema } from './responseSchemas';

const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** How one answer of the table reads in the document. */
function responseObject(spec: ResponseSpec): ZodOpenApiResponseObject {
  if ('json' in spec) {
    return { description: spec.description, content: { 'application/json': { schema: spec.json } }, links: spec.links };
  }
  if ('problem' in spec)
    return { description: spec.description, content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } } };
  if ('eventStream' in spec) {
    return { description: spec.description, content: { 'text/event-stream': { schema: { type: 'string' } } } };
  }
  if ('bytes' in spec) {
    return {
      description: spec.description,
      content: { 'image/*': { schema: { type: 'string', contentMediaType: 'image/*' } } },
    };
  }
  return { description: spec.description };
}

/**
 * What every operation may answer besides what it lists: a query parameter out of bounds or unknown (400), a body
 * that does not parse (400) or is too large (413), and, past the process itself, a dependency that is away (503,
 * with Retry-After).
 */
function withCommonProblems(operation: OperationSpec): Record<number, ResponseSpec> {
  const common: Record<number, ResponseSpec> = {};
  if (operation.query)
    common[400] = {
      description: 'A query parameter out of bounds, or one this operation does not take',
      problem: true,
    };
  if (operation.body) {
    common[400] = { description: 'A body that does not parse', problem: true };
    common[413] = { description: 'A body larger than allowed', problem: true };
  }
  if (operation.path !== '/healthz') {
    common[503] = {
      description:
        'A dependency (storage, DynamoDB, Temporal, the identity provider) is away: Retry-After says when to try again',
      problem: true,
    };
  }
  return { ...common, ...operation.responses };
}

function operationObject(operationId: string, operation: OperationSpec): ZodOpenApiOperationObject {
  const { body } = operation;
  const content: ZodOpenApiContentObject = {};
  if (body?.json) content['application/json'] = { schema: body.json };
  if (body?.form) content['application/x-www-form-urlencoded'] = { schema: body.form };
  if (body?.multipart) content['multipart/form-data'] = { schema: body.multipart };
  return {
    operationId,
    summary: operation.summary,
    security: operation.secured ? [{ firebaseIdToken: [] }] : undefined,
    requestParams: {
      ...(operation.params ? { path: operation.params } : {}),
      ...(operation.query ? { query: operation.query } : {}),
    },
    requestBody: body ? { required: true, content } : undefined,
    responses: Object.fromEntries(
      Object.entries(withCommonProblems(operation)).map(([status, spec]) => [status, responseObject(spec)]),
    ),
  };
}

/**
 * The OpenAPI 3.1 document, derived from the route table (`apiOperations`) and the zod schemas that validate requests
 * and type answers, so the document, the server and the clients generated from it cannot drift apart.
 */
export function openApiDocument(config: Config) {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const [operationId, operation] of Object.entries(apiOperations(config))) {
    (paths[operation.path] ??= {})[operation.method] = operationObject(operationId, operation);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'imagepipe',
      version: '1',
      description:
        'Durable image ingestion: uploads are stored in S3 and each is processed by its own Temporal workflow into thumbnails, a description, an embedding and metadata. Errors are RFC 9457 problem documents.',
    },
    servers: config.api.publicUrl ? [{ url: config.api.publicUrl }] : undefined,
    components: {
      securitySchemes: { firebaseIdToken: { type: 'http', scheme: 'bearer', bearerFormat: 'Firebase ID token' } },
    },
    paths,
  });
}
