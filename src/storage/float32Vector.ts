/** Vectors are stored as little-endian float32 bytes: a quarter of a number list's size, and exact enough. */
export function encodeVector(vector: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(vector).buffer);
}

export function decodeVector(bytes: Uint8Array): number[] {
  const copy = bytes.slice(); // aligned for Float32Array
  return Array.from(new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4));
}
