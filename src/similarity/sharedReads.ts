/**
 * Reads shared by everyone who asks for the same key at once. A read in flight answers whoever asks for a version
 * it has reached (its own, or an older one: versions only grow); asking for a newer version starts a read of its
 * own, which later askers join instead. A failed read answers each of its waiters with the failure, and is
 * forgotten with it: the next asker reads afresh.
 */
export class SharedReads<T> {
  private readonly inFlight = new Map<string, { version: number; result: Promise<T> }>();

  read(key: string, version: number, read: () => Promise<T>): Promise<T> {
    const flight = this.inFlight.get(key);
    if (flight && flight.version >= version) return flight.result;
    const started = { version, result: read() };
    this.inFlight.set(key, started);
    const forget = () => {
      if (this.inFlight.get(key) === started) this.inFlight.delete(key);
    };
    started.result.then(forget, forget);
    return started.result;
  }
}
