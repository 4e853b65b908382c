/**
 * Embeddings packed row by row into one Float32Array: a quarter of the memory of arrays of numbers, one buffer to
 * hand to a worker thread without copying, and tight loops over contiguous memory.
 */
export interface EmbeddingMatrix {
  rows: number;
  dimensions: number;
  values: Float32Array;
}

/** Packs vectors of one dimension into a matrix. */
export function matrixOf(vectors: ArrayLike<number>[]): EmbeddingMatrix {
  const dimensions = vectors[0]?.length ?? 0;
  const values = new Float32Array(vectors.length * dimensions);
  vectors.forEach((vector, row) => {
    if (vector.length !== dimensions) {
      throw new Error(`embedding ${row} has ${vector.length} dimensions, the others ${dimensions}`);
    }
    values.set(vector, row * dimensions);
  });
  return { rows: vectors.length, dimensions, values };
}

/** One row, as a view (no copy). */
export function rowOf(matrix: EmbeddingMatrix, row: number): Float32Array {
  return matrix.values.subarray(row * matrix.dimensions, (row + 1) * matrix.dimensions);
}

/** Scales every row to unit length in place (a zero row stays zero): dot products are then cosine similarities. */
export function normaliseRows(matrix: EmbeddingMatrix): EmbeddingMatrix {
  const { values, dimensions } = matrix;
  for (let start = 0; start < values.length; start += dimensions) {
    let sum = 0;
    for (let i = start; i < start + dimensions; i++) sum += values[i]! * values[i]!;
    const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = start; i < start + dimensions; i++) values[i]! *= scale;
  }
  return matrix;
}

/** The rows at `indexes`, copied into a matrix of their own. */
export function selectRows(matrix: EmbeddingMatrix, indexes: ArrayLike<number>): EmbeddingMatrix {
  const values = new Float32Array(indexes.length * matrix.dimensions);
  for (let i = 0; i < indexes.length; i++) values.set(rowOf(matrix, indexes[i]!), i * matrix.dimensions);
  return { rows: indexes.length, dimensions: matrix.dimensions, values };
}

/** Dot product of row `a` of `left` and row `b` of `right` (which may be the same matrix). */
export function dotRows(left: EmbeddingMatrix, a: number, right: EmbeddingMatrix, b: number): number {
  const d = left.dimensions;
  const x = left.values;
  const y = right.values;
  let sum = 0;
  for (let i = 0, p = a * d, q = b * d; i < d; i++, p++, q++) sum += x[p]! * y[q]!;
  return sum;
}
