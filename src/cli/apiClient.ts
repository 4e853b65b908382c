import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../client';
import type { ApiSession } from './apiSession';
import { CliError } from './cliError';
import { asProblem, describeProblem, type Problem } from './describeProblem';

/** The API as the signed-in user, typed by the contract the API publishes (src/client, from its OpenAPI document). */
export type ApiClient = Client<paths>;

export function createApiClient(session: ApiSession): ApiClient {
  return createClient<paths>({ baseUrl: session.apiUrl, fetch: session.fetch });
}

/** What the typed client answers: the body of a success, or the error body and the response. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The problem an error answer carries (a proxy's HTML page is still an HTTP status). */
export const problemOf = (answer: Answer<unknown>): Problem => asProblem(answer.response.status, answer.error);

/** The body of an answer the caller reads only when it succeeds: any problem becomes a CliError. */
export function bodyOf<T>(answer: Answer<T>): T {
  if (!answer.response.ok || answer.data === undefined) throw new CliError(describeProblem(problemOf(answer)));
  return answer.data;
}
