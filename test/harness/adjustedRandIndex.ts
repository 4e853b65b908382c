/** Adjusted Rand index of two labellings of the same items: 1 is identical grouping, about 0 is chance. */
export function adjustedRandIndex(truth: Array<string | number>, found: Array<string | number>): number {
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const table = new Map<string, number>();
  const rows = new Map<string | number, number>();
  const columns = new Map<string | number, number>();
  truth.forEach((label, index) => {
    const key = `${label}\u0000${found[index]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(label, (rows.get(label) ?? 0) + 1);
    columns.set(found[index]!, (columns.get(found[index]!) ?? 0) + 1);
  });
  const index = [...table.values()].reduce((sum, n) => sum + pairs(n), 0);
  const rowSum = [...rows.values()].reduce((sum, n) => sum + pairs(n), 0);
  const columnSum = [...columns.values()].reduce((sum, n) => sum + pairs(n), 0);
  const expected = (rowSum * columnSum) / pairs(truth.length);
  const maximum = (rowSum + columnSum) / 2;
  return maximum === expected ? 1 : (index - expected) / (maximum - expected);
}
