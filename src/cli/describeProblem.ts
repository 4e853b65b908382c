import type { Schemas } from '../client';

/**
 * An RFC 9457 problem, as the API answers every error (its type from the contract); `rule` names the limit a refused
 * file broke. Only the status is certain: a proxy in front of the API may answer a page of its own.
 */
export type Problem = Partial<Schemas['Problem']> & { status: number };

/** A problem in one line, for the terminal. */
export function describeProblem(problem: Problem): string {
  return `${problem.status} ${problem.title ?? 'Error'}${problem.detail ? `: ${problem.detail}` : ''}`;
}

/** The answer's body as a problem, whatever it carries. */
export function asProblem(status: number, body: unknown): Problem {
  return typeof body === 'object' && body !== null ? { ...(body as Partial<Problem>), status } : { status };
}
