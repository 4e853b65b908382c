import type { ImageOutcome } from './uploadImages';

export interface UploadSummary {
  counts: { uploaded: number; duplicates: number; refused: number; failed: number; ignored: number };
  files: ImageOutcome[];
  /** Files skipped for their type, by extension. */
  ignored: string[];
}

export function summarize(files: ImageOutcome[], ignored: string[]): UploadSummary {
  const count = (result: ImageOutcome['result']) => files.filter((file) => file.result === result).length;
  return {
    counts: {
      uploaded: count('uploaded'),
      duplicates: count('duplicate'),
      refused: count('refused'),
      failed: count('failed'),
      ignored: ignored.length,
    },
    files,
    ignored,
  };
}

/** The summary for people: the counts, then each file that was refused (with the rule it broke) or failed. */
export function summaryText(summary: UploadSummary): string {
  const { uploaded, duplicates, refused, failed, ignored } = summary.counts;
  const lines = [
    `Uploaded ${uploaded}, skipped ${duplicates} as duplicates, refused ${refused}, failed ${failed}, ignored ${ignored} (not an image type).`,
  ];
  for (const file of summary.files) {
    if (file.result === 'refused') lines.push(`  refused  ${file.file}  [${file.rule}] ${file.detail}`);
    if (file.result === 'failed') lines.push(`  failed   ${file.file}  ${file.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
