import assert from 'node:assert/strict';
import { detect } from '../detect.js';

/** Helpers for the per-type tests: what detect() found, and assertions that read like the fixtures. */
export const found = (text: string) => detect(text).map((s) => ({ type: s.type as string, value: text.slice(s.start, s.end) }));

export function assertFinds(type: string, text: string, value: string): void {
  assert.ok(found(text).some((f) => f.type === type && f.value === value), `${type} ${JSON.stringify(value)} in ${JSON.stringify(text)}: got ${JSON.stringify(found(text))}`);
}

export function assertNone(type: string, text: string): void {
  const hits = found(text).filter((f) => f.type === type);
  assert.deepEqual(hits, [], `no ${type} in ${JSON.stringify(text)}`);
}

/** Appends the Luhn check digit to `body`. */
export function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = body + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let v = s.charCodeAt(s.length - 1 - i) - 48;
      if (i % 2 === 1) {
        v *= 2;
        if (v > 9) v -= 9;
      }
      sum += v;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

/** Deterministic pseudo-random digits, so failures reproduce. */
export function rng(seed: number): (n: number) => number {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}
export const randDigits = (r: (n: number) => number, n: number) => Array.from({ length: n }, () => r(10)).join('');

/** Milliseconds per MiB of `text` through detect(), the best of three runs (the machine is shared). */
export function msPerMiB(text: string): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    detect(text);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return best / (text.length / (1 << 20));
}
