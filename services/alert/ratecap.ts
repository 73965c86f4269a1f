/** A token bucket: `burst` messages at once, then `perMinute` more per minute. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(readonly burst: number, readonly perMinute: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
