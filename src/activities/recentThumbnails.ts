/**
 * The smallest thumbnails this worker stored lately, by key, so the AI steps that follow on the same worker are
 * shown them without reading them back from storage (and a worker that did not make one reads it as before). The
 * bytes under a thumbnail key never change (a retry renders the same image again), so a copy here is never stale.
 * Bounded by bytes, the least recently stored going first.
 */
export class RecentThumbnails {
  private readonly entries = new Map<string, { data: Buffer; contentType: string }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  remember(key: string, data: Buffer, contentType: string): void {
    this.forget(key);
    if (data.length > this.maxBytes) return;
    this.entries.set(key, { data, contentType });
    this.bytes += data.length;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= entry.data.length;
    }
  }

  get(key: string): { data: Buffer; contentType: string } | undefined {
    return this.entries.get(key);
  }

  private forget(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.data.length;
  }
}
