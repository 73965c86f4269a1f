import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, isRetriable, LlmAuditError, retryAfterMs, TransientError } from './errors.js';
import { backoffDelay, retry, retryDelay } from './retry.js';

const fast = { initialDelayMs: 1, maxDelayMs: 4, jitter: 0 };

describe('retry()', () => {
  it('backoff doubles up to the cap, jitter stays within its share', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 })), [100, 200, 400, 800, 1000, 1000]);
    for (const r of [0, 0.5, 0.999]) {
      const d = backoffDelay(3, { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0.2 }, () => r);
      assert.ok(d >= 320 && d <= 480, `${d}`);
    }
    assert.equal(retryDelay(new TransientError('429', undefined, 3000), 1, { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 }), 3000, 'Retry-After wins over a shorter backoff');
  });

  it('retries what is retriable until it succeeds; never a programmer or config error', async () => {
    let n = 0;
    assert.equal(await retry(async () => (++n < 3 ? Promise.reject(new TransientError('down')) : 'ok'), { ...fast, retries: 5 }), 'ok');
    assert.equal(n, 3);
    for (const err of [new TypeError('bug'), new ConfigError('bad'), new LlmAuditError('no')]) {
      let calls = 0;
      await assert.rejects(retry(async () => { calls++; throw err; }, { ...fast, retries: 5 }), err);
      assert.equal(calls, 1, `${err.name} not retried`);
    }
  });

  it('kafkajs errors carry their own retriable flag', () => {
    assert.equal(isRetriable(Object.assign(new Error('x'), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: true })), true);
    assert.equal(isRetriable(Object.assign(new Error('x'), { name: 'KafkaJSNonRetriableError', retriable: false })), false);
    assert.equal(isRetriable(Object.assign(new Error('x'), { retriable: true })), false, 'a foreign flag is not trusted');
    assert.equal(retryAfterMs(new TransientError('x', undefined, 1500)), 1500);
  });

  it('gives up after `retries` attempts with the last error', async () => {
    let n = 0;
    await assert.rejects(retry(async () => { throw new TransientError(`fail ${++n}`); }, { ...fast, retries: 3 }), /fail 3/);
  });

  it('the before-retry hook runs between attempts and during long waits; throwing from it gives up', async () => {
    const hooks: number[] = [];
    let n = 0;
    await retry(async () => { if (++n < 3) throw new TransientError('x', undefined, 25); }, { ...fast, retries: 5, hookEveryMs: 10, beforeRetry: ({ attempt }) => void hooks.push(attempt) });
    assert.ok(hooks.filter((a) => a === 1).length >= 3, `heartbeats during a 25 ms wait in 10 ms slices: ${hooks}`);
    const lost = new Error('partition revoked');
    let calls = 0;
    await assert.rejects(retry(async () => { calls++; throw new TransientError('x'); }, { ...fast, retries: 10, beforeRetry: () => { throw lost; } }), lost);
    assert.equal(calls, 1);
  });

  it('abort stops the wait and the loop', async () => {
    const ac = new AbortController();
    const reason = new Error('stopping');
    setTimeout(() => ac.abort(reason), 20);
    const t0 = Date.now();
    await assert.rejects(retry(async () => { throw new TransientError('down'); }, { initialDelayMs: 10_000, maxDelayMs: 10_000, jitter: 0, retries: Infinity, signal: ac.signal }), reason);
    assert.ok(Date.now() - t0 < 2_000);
    await assert.rejects(retry(async () => 'never', { signal: ac.signal }), reason, 'an aborted signal runs nothing');
  });
});
