/**
 * Recognises an image by its first bytes (never by the client's content type or file name) and reads its
 * dimensions from the header, so an upload can be refused before it is stored or decoded.
 */
export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp';

export const MIME_TYPES: Record<ImageFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
};

export type SniffResult =
  | { kind: 'image'; format: ImageFormat; width: number; height: number }
  /** The header goes on past the bytes given: call again with more. */
  | { kind: 'need-more' }
  | { kind: 'unsupported'; reason: string };

const ascii = (bytes: Buffer, start: number, end: number) => bytes.subarray(start, end).toString('latin1');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function sniffPng(bytes: Buffer): SniffResult {
  if (bytes.length < 24) return { kind: 'need-more' };
  if (ascii(bytes, 12, 16) !== 'IHDR') return { kind: 'unsupported', reason: 'PNG without an IHDR header chunk' };
  return { kind: 'image', format: 'png', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function sniffGif(bytes: Buffer): SniffResult {
  if (bytes.length < 10) return { kind: 'need-more' };
  return { kind: 'image', format: 'gif', width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
}

function sniffWebp(bytes: Buffer): SniffResult {
  if (bytes.length < 30) return { kind: 'need-more' };
  const chunk = ascii(bytes, 12, 16);
  if (chunk === 'VP8 ') {
    if (bytes[23] !== 0x9d || bytes[24] !== 0x01 || bytes[25] !== 0x2a)
      return { kind: 'unsupported', reason: 'WebP with a broken VP8 frame header' };
    return {
      kind: 'image',
      format: 'webp',
      width: bytes.readUInt16LE(26) & 0x3fff,
      height: bytes.readUInt16LE(28) & 0x3fff,
    };
  }
  if (chunk === 'VP8L') {
    if (bytes[20] !== 0x2f) return { kind: 'unsupported', reason: 'WebP with a broken VP8L header' };
    const bits = bytes.readUInt32LE(21);
    return { kind: 'image', format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X')
    return { kind: 'image', format: 'webp', width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1 };
  return { kind: 'unsupported', reason: `WebP with an unknown first chunk "${chunk}"` };
}

// Start-of-frame markers carry the dimensions; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const isStartOfFrame = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

function sniffJpeg(bytes: Buffer): SniffResult {
  let offset = 2;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0xff) return { kind: 'unsupported', reason: 'JPEG with a corrupt segment structure' };
    let markerAt = offset + 1;
    while (bytes[markerAt] === 0xff) markerAt++; // fill bytes
    if (markerAt >= bytes.length) return { kind: 'need-more' };
    const marker = bytes[markerAt]!;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset = markerAt + 1; // standalone markers have no length
      continue;
    }
    if (marker === 0xda || marker === 0xd9)
      return { kind: 'unsupported', reason: 'JPEG without a frame header before its image data' };
    if (markerAt + 2 >= bytes.length) return { kind: 'need-more' };
    const length = bytes.readUInt16BE(markerAt + 1);
    if (length < 2) return { kind: 'unsupported', reason: 'JPEG with a corrupt segment length' };
    if (isStartOfFrame(marker)) {
      if (markerAt + 8 >= bytes.length) return { kind: 'need-more' };
      return {
        kind: 'image',
        format: 'jpeg',
        height: bytes.readUInt16BE(markerAt + 4),
        width: bytes.readUInt16BE(markerAt + 6),
      };
    }
    offset = markerAt + 1 + length;
  }
  return { kind: 'need-more' };
}

export function sniffImage(bytes: Buffer): SniffResult {
  if (bytes.length < 12) return { kind: 'need-more' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return sniffJpeg(bytes);
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return sniffPng(bytes);
  const gif = ascii(bytes, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return sniffGif(bytes);
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return sniffWebp(bytes);
  return { kind: 'unsupported', reason: 'not a JPEG, PNG, GIF or WebP image' };
}
