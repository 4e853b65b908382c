/** Vectors are stored as little-endian float32 bytes: a quarter of a number list's size, and exact enough. */
export function encodeVector(vector: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(vector).buffer);
}

/** The stored bytes as float32 values, in a buffer of their own (aligned, whatever the bytes' offset). */
export function decodeFloat32(bytes: Uint8Array): Float32Array {
  const copy = bytes.slice();
  return new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4);
}

export function decodeVector(bytes: Uint8Array): number[] {
  return Array.from(decodeFloat32(bytes));
}
