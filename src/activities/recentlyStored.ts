/**
 * What this worker stored lately, by key, so that a later step of the same image on the same worker reads it from
 * memory instead of from storage (and a worker that did not store it reads storage as before). Only for values
 * that never change under their key once stored (a retry stores the same again), so a copy here is never stale.
 * Bounded by bytes, the least recently stored going first.
 */
export class RecentlyStored<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (value: T) => number,
  ) {}

  remember(key: string, value: T): void {
    this.forget(key);
    const bytes = this.sizeOf(value);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  get(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
