import { performance } from 'node:perf_hooks';
import { sleep } from '../common/retry.js';

/**
 * Holds a producer loop to `ratePerSec` events per second on average, measured from the first call.
 * Sleeps only when ahead by more than a few ms, so high rates cost no timer per event.
 */
export function pacer(ratePerSec: number | undefined, now: () => number = () => performance.now(), wait: (ms: number) => Promise<void> = (ms) => sleep(ms)): () => Promise<void> {
  if (!ratePerSec || ratePerSec <= 0) return async () => {};
  let t0: number | undefined;
  let n = 0;
  return async () => {
    t0 ??= now();
    const due = t0 + (n++ / ratePerSec) * 1000;
    const ahead = due - now();
    if (ahead > 4) await wait(ahead);
  };
}
