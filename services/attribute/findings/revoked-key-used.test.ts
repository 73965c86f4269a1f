import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, ident, input, T0 } from '../fixtures.js';
import { RevokedKeyUsed } from './revoked-key-used.js';

test('revoked_key_used: critical when the provider still accepts the key, high when it rejects it', () => {
  const f = new RevokedKeyUsed();
  const identity = ident({ status: 'revoked', revoked_at: T0 - 3_600_000 });
  const [ok] = f.check(input({ identity, event: ev({ status_code: 200 }) }));
  assert.equal(ok?.severity, 'critical');
  assert.equal(ok?.kind, 'accepted');
  assert.deepEqual(ok?.tally, { accepted_calls: 1, rejected_calls: 0 });
  const [rej] = f.check(input({ identity, event: ev({ status_code: 401, error_code: 'invalid_api_key' }) }));
  assert.equal(rej?.severity, 'high');
  assert.equal(rej?.id, ok?.id, 'one incident per revocation');
  assert.equal(rej?.evidence.revoked_at, new Date(T0 - 3_600_000).toISOString());
});

test('revoked_key_used is quiet for an active key and an unknown one', () => {
  const f = new RevokedKeyUsed();
  assert.deepEqual(f.check(input()), []);
  assert.deepEqual(f.check(input({ identity: undefined })), []);
});
