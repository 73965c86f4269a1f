import assert from 'node:assert/strict';
import { it } from 'node:test';
import { TokenBucket } from './ratecap.js';

it('a bucket gives its burst at once, then refills at its rate, never above the burst', () => {
  const b = new TokenBucket(3, 6, 0);
  assert.deepEqual([b.take(0), b.take(0), b.take(0), b.take(0)], [true, true, true, false]);
  assert.equal(b.take(9_999), false); // 6/min: one token per 10 s
  assert.equal(b.take(10_000), true);
  assert.equal(b.take(10_000), false);
  const later = 10 * 60_000;
  assert.deepEqual([b.take(later), b.take(later), b.take(later), b.take(later)], [true, true, true, false]);
});
