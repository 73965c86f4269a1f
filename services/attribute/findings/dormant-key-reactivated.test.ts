import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, input, T0 } from '../fixtures.js';
import { DormantKeyReactivated } from './dormant-key-reactivated.js';

const DAY = 86_400_000;

test('dormant_key_reactivated fires when a key idle for the dormant period is used again', () => {
  const f = new DormantKeyReactivated(30);
  const [o] = f.check(input({ event: ev({ occurred_at: T0 }), previousLastSeen: T0 - 45 * DAY }));
  assert.equal(o?.rule, 'dormant_key_reactivated');
  assert.equal(o?.evidence.idle_days, 45);
  assert.equal(o?.evidence.dormant_days, 30);
  const [again] = f.check(input({ event: ev({ occurred_at: T0 }), previousLastSeen: T0 - 31 * DAY }));
  assert.notEqual(again?.id, o?.id, 'each reactivation is its own incident');
});

test('dormant_key_reactivated is quiet for a key in regular use and for a first use', () => {
  const f = new DormantKeyReactivated(30);
  assert.deepEqual(f.check(input({ previousLastSeen: T0 - 29 * DAY })), []);
  assert.deepEqual(f.check(input({ previousLastSeen: T0 - 60_000 })), []);
  assert.deepEqual(f.check(input({ previousLastSeen: undefined })), []);
});
