import { InvalidArgumentError } from 'commander';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** Bytes for people: 1000-based, as file managers show them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

/** A size option (`20MB`, `512KB`, `1048576`) in bytes; commander reports anything else as a usage error. */
export function parseBytes(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
  if (!match) throw new InvalidArgumentError('expected a size such as 20MB, 512KB or a number of bytes');
  return Math.round(Number(match[1]) * 1000 ** UNITS.indexOf((match[2] ?? 'B').toUpperCase()));
}
