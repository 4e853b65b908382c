/**
 * What a service refuses, in its own words; the API turns each into a problem with its status code, and a CLI
 * would print it. (An UploadRejection, from src/images, is the third kind: a file that breaks an upload rule.)
 */

/** No such image for this user: unknown, malformed and someone else's ids read the same. */
export class NotFoundError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'NotFoundError';
  }
}

/** Asked again too soon: the same work was done moments ago. */
export class TooSoonError extends Error {
  constructor(
    readonly detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(detail);
    this.name = 'TooSoonError';
  }
}

/** The request cannot be done in the image's current state (not processed yet, not deleted, nothing uploaded). */
export class ConflictError extends Error {
  constructor(
    readonly detail: string,
    readonly title?: string,
  ) {
    super(detail);
    this.name = 'ConflictError';
  }
}

/**
 * A request well-formed but meaningless to the service (a search with no word to look for, a cursor of another
 * search): the client's to fix, named by the input it is about.
 */
export class InvalidInputError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'InvalidInputError';
  }
}
