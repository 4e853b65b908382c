import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cliError';
import { loginCommand } from './commands/login';
import { lsCommand } from './commands/ls';
import { rmCommand } from './commands/rm';
import { statusCommand } from './commands/status';
import { uploadCommand } from './commands/upload';

// package.json is two folders up from both src/cli and dist/cli.
const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

export function cliProgram(): Command {
  const program = new Command('imagepipe')
    .description('Upload images to an imagepipe API and manage them')
    .version(version)
    .option('--api <url>', 'the API base URL (default: IMAGEPIPE_API_URL, else the one you logged in to)')
    .option('--allow-http', 'allow plain http to a host other than this machine (or IMAGEPIPE_ALLOW_HTTP=1)')
    .showHelpAfterError()
    .exitOverride();
  // Added commands do not inherit settings by themselves: their usage errors too must come back to `main`.
  for (const command of [loginCommand(), uploadCommand(), statusCommand(), lsCommand(), rmCommand()])
    program.addCommand(command.copyInheritedSettings(program));
  return program;
}

/** Runs the CLI and sets the exit code: 0 done, 1 a file or an image failed, 2 a usage error (see EXIT). */
export async function main(argv: string[] = process.argv): Promise<void> {
  try {
    await cliProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and the version end well; commander has already told what was wrong with the command line.
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (error instanceof CliError) {
      process.stderr.write(`imagepipe: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`imagepipe: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.failed;
    }
  }
}

// Run as a program (`node dist/cli/main.js`, `tsx src/cli/main.ts`); bin/imagepipe.mjs calls `main` itself.
if (require.main === module) void main();
