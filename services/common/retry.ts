import { isRetriable, retryAfterMs } from './errors.js';

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** 0..1: share of each delay that is randomised, so many instances don't retry in step. */
  jitter: number;
}

export interface RetryContext {
  attempt: number;
  err: unknown;
  delayMs: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in total, including the first. Infinity retries until `signal` aborts. */
  retries: number;
  signal?: AbortSignal;
  /** Decides what is worth another attempt; defaults to the retriable classification of errors.ts. */
  shouldRetry?: (err: unknown) => boolean;
  /**
   * Runs while waiting (every `hookEveryMs`, and once right before the next attempt): heartbeats,
   * "do I still own this partition?". Throwing from it gives up with that error.
   */
  beforeRetry?: (ctx: RetryContext) => Promise<void> | void;
  /** Slice of a long wait between two `beforeRetry` calls (e.g. below the Kafka session timeout). */
  hookEveryMs?: number;
  /** Logging and metrics; called once per retry, before the wait. */
  onRetry?: (ctx: RetryContext) => void;
}

export const defaultRetry: RetryOptions = { retries: 8, initialDelayMs: 200, maxDelayMs: 10_000, jitter: 0.2 };

export function backoffDelay(attempt: number, o: BackoffOptions, rnd = Math.random): number {
  const base = Math.min(o.maxDelayMs, o.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * o.jitter;
  return Math.max(0, Math.round(base - spread + rnd() * 2 * spread));
}

/** The wait before attempt `attempt + 1`: backoff with jitter, never shorter than the downstream's Retry-After. */
export function retryDelay(err: unknown, attempt: number, o: BackoffOptions, rnd = Math.random): number {
  return Math.max(backoffDelay(attempt, o, rnd), retryAfterMs(err));
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

/**
 * The one retry mechanism: exponential backoff with jitter (at least Retry-After), only for errors
 * classified retriable, a before-retry hook, and abort. Every retrying call site uses it, either
 * blocking here or, where a queue must not block (alert delivery), through `retryDelay` and `shouldRetry`.
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, opts: Partial<RetryOptions> = {}): Promise<T> {
  const o: RetryOptions = { ...defaultRetry, ...opts };
  const should = o.shouldRetry ?? isRetriable;
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= o.retries || !should(err) || o.signal?.aborted) throw err;
      const ctx: RetryContext = { attempt, err, delayMs: retryDelay(err, attempt, o) };
      o.onRetry?.(ctx);
      const slice = o.hookEveryMs && o.hookEveryMs > 0 ? o.hookEveryMs : Infinity;
      for (let left = ctx.delayMs; left > 0; left -= slice) {
        await sleep(Math.min(left, slice), o.signal);
        if (left > slice) await o.beforeRetry?.(ctx);
      }
      await o.beforeRetry?.(ctx);
    }
  }
}
