import type { z } from 'zod';
import type { oas31 } from 'zod-openapi';

/** A JSON answer: its body's schema, and where a client may go from it (OpenAPI links). */
export interface JsonResponse {
  description: string;
  json: z.ZodType;
  links?: Record<string, oas31.LinkObject>;
}

/** An RFC 9457 problem (application/problem+json). */
export interface ProblemResponse {
  description: string;
  problem: true;
}

/** Bytes of an image, whatever their type. */
export interface BytesResponse {
  description: string;
  bytes: true;
}

/** A stream of Server-Sent Events (text/event-stream), written as they happen. */
export interface EventStreamResponse {
  description: string;
  eventStream: true;
}

/** No body (304). */
export interface EmptyResponse {
  description: string;
}

export type ResponseSpec = JsonResponse | ProblemResponse | BytesResponse | EventStreamResponse | EmptyResponse;

/**
 * One operation of the API, as the route table states it: Express registers its handler at `path` for `method`, and
 * the OpenAPI document describes it from the same object. `params` and `query` are what the handler receives parsed
 * (the query checked against its schema: unknown parameters are refused); a JSON or form body is parsed by the
 * handler, which may answer more than the schema can say (a token request's grant, a multipart form's files).
 */
export interface OperationSpec {
  method: 'get' | 'post' | 'delete';
  /** OpenAPI's form: `/api/v1/images/{imageId}`. */
  path: `/${string}`;
  summary: string;
  /** Needs a signed-in user (a Firebase ID token): 401 without one. */
  secured: boolean;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: {
    json?: z.ZodType;
    form?: z.ZodType;
    /** A multipart form, as a JSON Schema (its files are bytes, more than zod can state). */
    multipart?: oas31.SchemaObject;
  };
  responses: Record<number, ResponseSpec>;
}

/** Keeps each operation's literal types (its statuses and schemas), so handlers are typed by them. */
export const defineOperation = <const O extends OperationSpec>(operation: O): O => operation;

/** The statuses of an operation that answer JSON. */
export type JsonStatus<O extends OperationSpec> = {
  [S in keyof O['responses']]: O['responses'][S] extends JsonResponse ? S : never;
}[keyof O['responses']] &
  number;

/** The body of one of an operation's JSON answers, as the handler gives it (before any transform). */
export type JsonBody<O extends OperationSpec, S extends JsonStatus<O>> = O['responses'][S] extends JsonResponse
  ? z.input<O['responses'][S]['json']>
  : never;
