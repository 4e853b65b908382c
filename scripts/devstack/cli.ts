import fs from 'node:fs';

/** Runs a command-line script's main as the whole process: its exit code, or 1 with the error's message. */
export function runCommand(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

/** Prints a stack's environment file for `env`; 1, saying how to start it, when it is not up. */
export function printEnvFile(file: string, what: string, upCommand: string): number {
  if (!fs.existsSync(file)) {
    console.error(`the ${what} is not up: run \`${upCommand}\``);
    return 1;
  }
  process.stdout.write(fs.readFileSync(file, 'utf8'));
  return 0;
}
