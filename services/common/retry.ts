import { isRetriable } from './errors.js';

export interface RetryOptions {
  /** Attempts in total, including the first. Infinity retries until `signal` aborts. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** 0..1: share of each delay that is randomised, so many instances don't retry in step. */
  jitter: number;
  signal?: AbortSignal;
  /** Decides what is worth another attempt; defaults to the error's own `retriable` flag. */
  shouldRetry?: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export const defaultRetry: RetryOptions = { retries: 8, initialDelayMs: 200, maxDelayMs: 10_000, jitter: 0.2 };

export function backoffDelay(attempt: number, o: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'jitter'>, rnd = Math.random): number {
  const base = Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * o.jitter;
  return Math.max(0, Math.round(base - spread + rnd() * 2 * spread));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The one retry helper: exponential backoff with jitter, only for errors that say they are retriable. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: Partial<RetryOptions> = {}): Promise<T> {
  const o: RetryOptions = { ...defaultRetry, ...opts };
  const should = o.shouldRetry ?? isRetriable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= o.retries || !should(err) || o.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, o);
      o.onRetry?.(err, attempt, delay);
      await sleep(delay, o.signal);
    }
  }
}
