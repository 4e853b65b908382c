/** The vector scaled to length 1 (cosine similarity is then a dot product); an all-zero one stays as it is. */
export function unitVector(values: ArrayLike<number>): number[] {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index]! * values[index]!;
  const norm = Math.sqrt(sum) || 1;
  return Array.from(values, (value) => value / norm);
}
