import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT } from '../cliError';
import { signedInClient } from '../signedIn';
import { parseBytes } from '../upload/byteSize';
import { findImages } from '../upload/findImages';
import { uploadImages } from '../upload/uploadImages';
import { uploadProgress } from '../upload/uploadProgress';
import { summarize, summaryText } from '../upload/uploadSummary';

function parseConcurrency(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 32) throw new InvalidArgumentError('expected 1 to 32');
  return value;
}

/** `upload DIR|FILE...`: the images the library lacks, uploaded; exit 1 when any was refused or failed. */
export function uploadCommand(): Command {
  return new Command('upload')
    .description('Upload images (folders are walked); files the library holds already are skipped')
    .argument('<paths...>', 'image files and folders')
    .option('--json', 'print the summary as JSON (no progress bar)')
    .option('--concurrency <n>', 'files hashed and uploaded at once', parseConcurrency, 4)
    .addOption(
      new Option('--direct-above <size>', 'upload larger files through a presigned URL')
        .argParser(parseBytes)
        .default(parseBytes('20MB'), '20MB'),
    )
    .action(async (paths: string[], options: { json?: boolean; concurrency: number; directAbove: number }, command) => {
      const client = await signedInClient(command as Command);
      const { images, ignored } = await findImages(paths);
      const outcomes = await uploadImages(client, images, {
        concurrency: options.concurrency,
        directAbove: options.directAbove,
        progress: uploadProgress(!options.json),
      });
      const summary = summarize(outcomes, ignored);
      process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary));
      if (summary.counts.refused + summary.counts.failed > 0) process.exitCode = EXIT.failed;
    });
}
