import { SingleBar } from 'cli-progress';
import { formatBytes } from './byteSize';

/** Progress of a phase of the upload (hashing, then uploading), in files and bytes. */
export interface UploadProgress {
  start(phase: string, files: number, bytes: number): void;
  fileDone(bytes: number): void;
  stop(): void;
}

const silent: UploadProgress = { start() {}, fileDone() {}, stop() {} };

/** A bar on stderr (stdout stays the summary's) when it is a terminal and `enabled`; nothing otherwise. */
export function uploadProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): UploadProgress {
  if (!enabled || !stream.isTTY) return silent;
  const bar = new SingleBar({
    stream,
    format: '{phase} [{bar}] {files}/{totalFiles} files | {done}/{totalBytes} | {rate}/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  let files = 0;
  let bytes = 0;
  let startedAt = 0;
  const payload = () => ({
    files,
    done: formatBytes(bytes),
    rate: formatBytes(bytes / Math.max((Date.now() - startedAt) / 1000, 0.001)),
  });
  return {
    start(phase, totalFiles, totalBytes) {
      bar.stop();
      files = 0;
      bytes = 0;
      startedAt = Date.now();
      bar.start(totalBytes, 0, {
        phase: phase.padEnd(9),
        totalFiles,
        totalBytes: formatBytes(totalBytes),
        ...payload(),
      });
    },
    fileDone(fileBytes) {
      files++;
      bytes += fileBytes;
      bar.update(bytes, payload());
    },
    stop() {
      bar.stop();
    },
  };
}
