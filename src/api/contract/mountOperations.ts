import type { Express, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { parseOrThrow } from '../validation';
import type { JsonBody, JsonStatus, OperationSpec } from './operation';
import type { ApiOperations, OperationId } from './operations';

/** An operation whose body is JSON alone: parsed by its schema before the handler runs (422 naming each field). */
type JsonOnlyBody = { json: z.ZodType; form?: undefined; multipart?: undefined };

/**
 * What a handler is given of its request: path parameters as they came (an image id that is not one reads as any
 * unknown id does: 404), the query parsed by its schema, and a JSON-only body parsed by its schema.
 */
export interface OperationInput<O extends OperationSpec> {
  params: O['params'] extends z.ZodObject ? { [K in keyof z.input<O['params']>]: string } : Record<string, never>;
  query: O['query'] extends z.ZodType ? z.output<O['query']> : Record<string, never>;
  body: O['body'] extends JsonOnlyBody ? z.output<O['body']['json']> : undefined;
}

/** Answers with one of the operation's JSON answers, its body typed by that answer's schema. */
export type Reply<O extends OperationSpec> = <S extends JsonStatus<O>>(status: S, body: JsonBody<O, S>) => void;

export type OperationHandler<O extends OperationSpec> = (
  input: OperationInput<O>,
  http: { req: Request; res: Response; reply: Reply<O> },
) => Promise<void> | void;

/** A handler, with the middleware its operation needs first (a multipart parser, a form parser, a limit). */
export type HandlerEntry<O extends OperationSpec> =
  OperationHandler<O> | { before: RequestHandler[]; handle: OperationHandler<O> };

/** A handler for every operation of the table: a missing one does not compile. */
export type OperationHandlers = { [K in OperationId]: HandlerEntry<ApiOperations[K]> };

/** `/images/{imageId}` as Express writes it: `/images/:imageId`. */
const expressPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

/** Path templates with fewer parameters first: `/images/clusters` must be tried before `/images/{imageId}`. */
const parametersIn = (path: string) => (path.match(/\{/g) ?? []).length;

/**
 * Registers every operation of the route table on the app: the middleware `guardsOf` gives it (a signed-in user, a
 * rate limit), then its handler's own, then the handler with its query (400 naming what is wrong or unknown) and
 * JSON body parsed and a `reply` typed by its answers. A request about one image logs that image's id with every line.
 */
export function mountOperations(
  app: Express,
  operations: ApiOperations,
  handlers: OperationHandlers,
  guardsOf: (operation: OperationSpec) => RequestHandler[],
): void {
  const entries = (Object.keys(operations) as OperationId[]).sort(
    (a, b) => parametersIn(operations[a].path) - parametersIn(operations[b].path),
  );
  for (const operationId of entries) {
    const operation: OperationSpec = operations[operationId];
    const entry = handlers[operationId] as HandlerEntry<OperationSpec>;
    const { before, handle } = typeof entry === 'function' ? { before: [], handle: entry } : entry;
    app[operation.method](
      expressPath(operation.path),
      ...guardsOf(operation),
      ...before,
      async (req: Request, res: Response) => {
        if (typeof req.params.imageId === 'string') req.log = req.log.child({ imageId: req.params.imageId });
        const query = operation.query ? parseOrThrow(operation.query, req.query, 'query') : {};
        const { json, form, multipart } = operation.body ?? {};
        const body = json && !form && !multipart ? parseOrThrow(json, req.body ?? {}) : undefined;
        const reply = (status: number, body: unknown) => {
          res.status(status).json(body);
        };
        await handle({ params: req.params, query, body } as OperationInput<OperationSpec>, { req, res, reply });
      },
    );
  }
}
