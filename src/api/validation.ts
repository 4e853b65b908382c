import type { z } from 'zod';
import { ProblemError } from './problem';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A union's failure, told by the alternative the value was of the type of (a comma list given as a string, tags
 * given as an array): its own rule, rather than zod's bare "Invalid input".
 */
function unionIssues(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] {
  const ofTheRightType = issue.errors.find((issues) => !issues.some((inner) => inner.code === 'invalid_type'));
  if (!ofTheRightType) return [issue];
  return ofTheRightType.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] }));
}

export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues
    .flatMap((issue) => (issue.code === 'invalid_union' ? unionIssues(issue) : [issue]))
    .map((issue) => ({
      field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '(body)'),
      message: issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message,
    }));
}

/** Parses with the schema or throws a 422 (400 for query strings) problem listing every bad field. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' = 'body',
  status = where === 'query' ? 400 : 422,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error);
  throw new ProblemError({
    status,
    type: 'urn:imagepipe:problem:validation',
    title: 'Invalid request',
    detail: `Invalid ${where}: ${errors.map((error) => `${error.field}: ${error.message}`).join('; ')}`,
    errors,
  });
}
