import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from './prng.js';

test('the same seed gives the same stream; a different seed a different one', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const xs = Array.from({ length: 50 }, () => a.next());
  assert.deepEqual(Array.from({ length: 50 }, () => b.next()), xs);
  assert.notDeepEqual(Array.from({ length: 50 }, () => c.next()), xs);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test('distributions have roughly the right shape', () => {
  const r = new Rng('shape');
  const N = 20_000;
  const mean = (f: () => number) => Array.from({ length: N }, f).reduce((s, x) => s + x, 0) / N;
  assert.ok(Math.abs(mean(() => r.next()) - 0.5) < 0.02);
  assert.ok(Math.abs(mean(() => r.poisson(3)) - 3) < 0.1);
  assert.ok(Math.abs(mean(() => r.poisson(80)) - 80) < 1);
  const logs = Array.from({ length: N }, () => r.lognormal(200, 0.5)).sort((x, y) => x - y);
  assert.ok(Math.abs(logs[N / 2]! - 200) < 10, `median ${logs[N / 2]}`);
  const w = Array.from({ length: N }, () => r.weighted([['a', 3], ['b', 1]] as const)).filter((x) => x === 'a').length / N;
  assert.ok(Math.abs(w - 0.75) < 0.02);
  assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});
