import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, input, T0 } from '../fixtures.js';
import { clientFamily, principalTypeOf } from './common.js';
import { SharedKey } from './shared-key.js';

const opts = { windowMs: 3_600_000, maxClients: 2, maxPrincipalTypes: 1 };

test('client family and principal type come from the user agent and principal id patterns', () => {
  assert.equal(clientFamily('openai-python/1.54.0'), 'openai-python');
  assert.equal(clientFamily('curl/8.5.0'), 'curl');
  assert.equal(clientFamily(null), null);
  const table: [string | null, string | null][] = [['user-c47add', 'user'], ['alice@example.com', 'user'], ['svc-billing', 'service'], ['spiffe://prod/ns/a/sa/b', 'workload'], ['system:serviceaccount:ns:sa', 'workload'], ['42', null], [null, null]];
  for (const [id, t] of table) assert.equal(principalTypeOf(id), t, String(id));
});

test('shared_key fires when a third client family uses the key within the window', () => {
  const f = new SharedKey(opts);
  assert.deepEqual(f.check(input({ event: ev({ user_agent: 'openai-python/1.54.0' }) })), []);
  assert.deepEqual(f.check(input({ event: ev({ user_agent: 'langchain/0.3.7', occurred_at: T0 + 1000 }) })), []);
  const [o] = f.check(input({ event: ev({ user_agent: 'openai-node/4.71.1', occurred_at: T0 + 2000 }) }));
  assert.equal(o?.kind, 'clients');
  assert.deepEqual(o?.evidence.clients, ['langchain', 'openai-node', 'openai-python']);
  assert.equal(o?.evidence.observed, 3);
});

test('shared_key fires on two principal types (a user and a workload) on one key', () => {
  const f = new SharedKey(opts);
  f.check(input({ event: ev({ principal_id: 'user-1' }) }));
  const [o] = f.check(input({ event: ev({ principal_id: 'spiffe://prod/ns/x/sa/y', occurred_at: T0 + 5 }) }));
  assert.equal(o?.kind, 'principal_types');
  assert.deepEqual(o?.evidence.principal_types, ['user', 'workload']);
});

test('shared_key is quiet for clients spread beyond the window, version upgrades, and 401s from another client', () => {
  const f = new SharedKey(opts);
  f.check(input({ event: ev({ user_agent: 'openai-python/1.54.0', occurred_at: T0 }) }));
  f.check(input({ event: ev({ user_agent: 'langchain/0.3.7', occurred_at: T0 + 30 * 60_000 }) }));
  assert.deepEqual(f.check(input({ event: ev({ user_agent: 'curl/8.5.0', occurred_at: T0 + 61 * 60_000 }) })), [], 'the first client left the window');
  assert.deepEqual(f.check(input({ event: ev({ user_agent: 'curl/8.6.0', occurred_at: T0 + 62 * 60_000 }) })), []);
  assert.deepEqual(f.check(input({ event: ev({ user_agent: 'python-requests/2.31', status_code: 401, occurred_at: T0 + 63 * 60_000 }) })), []);
});
