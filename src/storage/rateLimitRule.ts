/**
 * A rate limit's arithmetic, as GCRA (the generic cell rate algorithm) has it: a key's bucket is one time, its
 * theoretical arrival time (TAT), the moment the bucket would be full again if no request came. Each token taken
 * pushes it one interval later; a request may take `count` tokens while that leaves it at most `burst` intervals
 * ahead of now. A TAT in the past is a full bucket. Times are whole microseconds since the epoch, so that the
 * service and DynamoDB, which compares them, count exactly alike (an interval of 60 s / 7 in milliseconds would not).
 */
export class RateLimitRule {
  /** Microseconds between two requests at the sustained rate: what one token costs. */
  readonly intervalUs: number;

  constructor(
    readonly perMinute: number,
    readonly burst: number,
  ) {
    if (!(perMinute > 0)) throw new RangeError('a rate limit needs a sustained rate above 0');
    this.intervalUs = Math.max(1, Math.round(60_000_000 / perMinute));
  }

  /** Tokens the bucket holds at `nowUs` (none known: a full bucket). */
  available(arrivalUs: number | undefined, nowUs: number): number {
    if (arrivalUs === undefined || arrivalUs <= nowUs) return this.burst;
    return Math.max(0, Math.floor((nowUs + this.burst * this.intervalUs - arrivalUs) / this.intervalUs));
  }

  /** The latest TAT from which `count` more tokens may still be taken at `nowUs`. */
  latestArrivalFor(count: number, nowUs: number): number {
    return nowUs + (this.burst - count) * this.intervalUs;
  }

  /** When a bucket taken from at `nowUs` is full again, at the latest: its item says nothing after that. */
  fullAgainBy(nowUs: number): number {
    return nowUs + this.burst * this.intervalUs;
  }

  /** Microseconds from `nowUs` until the bucket holds a token again (0: it holds one). */
  untilAvailable(arrivalUs: number, nowUs: number): number {
    return Math.max(0, arrivalUs - (this.burst - 1) * this.intervalUs - nowUs);
  }
}
