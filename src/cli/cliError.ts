/** How the CLI ends: 0 all done, 1 a file or an image could not be handled, 2 the command itself was wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A failure the user can act on, told in one line (no stack), with the exit code it ends the CLI with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
