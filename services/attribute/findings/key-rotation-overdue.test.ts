import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, ident, input, T0 } from '../fixtures.js';
import { KeyRotationOverdue, rotationObservation } from './key-rotation-overdue.js';

const DAY = 86_400_000;

test('key_rotation_overdue fires per use for a key older than its policy', () => {
  const f = new KeyRotationOverdue();
  const identity = ident({ created: T0 - 91 * DAY, rotation_max_age_days: 90 });
  const [o] = f.check(input({ identity, event: ev() }));
  assert.equal(o?.rule, 'key_rotation_overdue');
  assert.equal(o?.evidence.age_days, 91);
  assert.equal(o?.evidence.overdue_days, 1);
  assert.equal(o?.severity, 'low');
  const [old] = f.check(input({ identity: ident({ created: T0 - 200 * DAY }), event: ev() }));
  assert.equal(old?.severity, 'medium', 'more than twice the policy');
});

test('key_rotation_overdue is quiet for a new key under its rotation age, at exactly the limit, and for revoked keys', () => {
  const f = new KeyRotationOverdue();
  assert.deepEqual(f.check(input({ identity: ident({ created: T0 - 10 * DAY }) })), []);
  assert.deepEqual(f.check(input({ identity: ident({ created: T0 - 90 * DAY }) })), []);
  assert.deepEqual(f.check(input({ identity: ident({ created: T0 - 30 * DAY, rotation_max_age_days: 60 }) })), []);
  assert.deepEqual(f.check(input({ identity: ident({ created: T0 - 400 * DAY, status: 'revoked' }) })), []);
});

test('the scan and the per-use check raise the same incident id', () => {
  const identity = ident({ created: T0 - 100 * DAY });
  assert.equal(rotationObservation(identity, T0, 'scan')?.id, rotationObservation(identity, T0 + DAY, 'per_use')?.id);
  assert.notEqual(rotationObservation(identity, T0, 'scan')?.id, rotationObservation({ ...identity, created: identity.created + 1 }, T0, 'scan')?.id, 'a rotated key is a new incident');
});
