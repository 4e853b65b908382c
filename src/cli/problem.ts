/** An RFC 9457 problem, as the API answers every error; `rule` names the limit a refused file broke. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  rule?: string;
  file?: string;
  errors?: Array<{ field: string; message: string }>;
}

/** A problem in one line, for the terminal. */
export function describeProblem(problem: Problem): string {
  return `${problem.status} ${problem.title ?? 'Error'}${problem.detail ? `: ${problem.detail}` : ''}`;
}

/** The answer's body as a problem, whatever it carries (a proxy's HTML page is still an HTTP status). */
export function asProblem(status: number, body: unknown): Problem {
  return typeof body === 'object' && body !== null ? { ...(body as Partial<Problem>), status } : { status };
}
