import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pacer } from './pace.js';

test('pacer holds the average rate with a virtual clock and never waits without a rate', async () => {
  let clock = 0;
  const waits: number[] = [];
  const pace = pacer(100, () => clock, async (ms) => {
    waits.push(ms);
    clock += ms;
  });
  for (let i = 0; i < 1000; i++) await pace();
  // 1000 events at 100/s: the last one is due at 9.99 s
  assert.ok(clock >= 9_980 && clock <= 10_000, `clock ${clock}`);
  assert.ok(waits.every((w) => w > 4));
  const free = pacer(undefined, () => clock, async () => assert.fail('must not wait'));
  for (let i = 0; i < 10; i++) await free();
});
