import zlib from 'node:zlib';
import type { ImageFormat } from './sniffImage';

/** Bytes of a file's end the structure check needs (a PNG's IEND chunk is the longest). */
export const TAIL_BYTES = 64;

const PNG_IEND = Buffer.from([0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

/** Whitespace and NULs some encoders pad files with after the end marker. */
function withoutPadding(tail: Buffer): Buffer {
  let end = tail.length;
  while (end > 0 && [0x00, 0x0a, 0x0d, 0x20].includes(tail[end - 1]!)) end--;
  return tail.subarray(0, end);
}

/**
 * Why a file whose header looked right is not a whole image, judged from its first bytes and its last ones: a
 * PNG header whose checksum fails, or a file that does not end where its format ends (cut short in transfer, or
 * with something appended, as polyglot files are). Undefined when it is whole.
 */
export function structuralFault(
  format: ImageFormat,
  head: Buffer,
  tail: Buffer,
  totalBytes: number,
): string | undefined {
  switch (format) {
    case 'jpeg': {
      const end = withoutPadding(tail);
      return end.length >= 2 && end[end.length - 2] === 0xff && end[end.length - 1] === 0xd9
        ? undefined
        : 'The JPEG does not end with its end-of-image marker: it is truncated, or has something appended.';
    }
    case 'png': {
      // IHDR: length (4) type (4) data (13) CRC (4), right after the 8-byte signature; the CRC covers type and data.
      if (head.length >= 33 && zlib.crc32(head.subarray(12, 29)) !== head.readUInt32BE(29))
        return 'The PNG header fails its checksum (corrupt).';
      return withoutPadding(tail).subarray(-PNG_IEND.length).equals(PNG_IEND)
        ? undefined
        : 'The PNG does not end with its IEND chunk: it is truncated, or has something appended.';
    }
    case 'gif':
      return withoutPadding(tail).at(-1) === 0x3b
        ? undefined
        : 'The GIF does not end with its trailer: it is truncated, or has something appended.';
    case 'webp': {
      // The RIFF size counts everything after its first 8 bytes (with a pad byte when odd).
      const declared = head.readUInt32LE(4) + 8;
      return declared === totalBytes || declared + 1 === totalBytes
        ? undefined
        : `The WebP declares ${declared} bytes but has ${totalBytes}: it is truncated, or has something appended.`;
    }
  }
}
