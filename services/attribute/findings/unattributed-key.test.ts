import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, input } from '../fixtures.js';
import { UnattributedKey } from './unattributed-key.js';

test('unattributed_key fires for a key the directory does not know, higher in prod', () => {
  const f = new UnattributedKey();
  const [o] = f.check(input({ identity: undefined, event: ev({ api_key_id: 'key_x', environment: 'prod' }) }));
  assert.equal(o?.rule, 'unattributed_key');
  assert.equal(o?.severity, 'high');
  assert.equal(o?.evidence.gateway_id, 'gw-us-1');
  const [dev] = f.check(input({ identity: undefined, event: ev({ api_key_id: 'key_x', environment: 'dev' }) }));
  assert.equal(dev?.severity, 'medium');
  assert.equal(dev?.id, o?.id, 'same key, same incident');
  assert.notEqual(f.check(input({ identity: undefined, event: ev({ api_key_id: 'key_y' }) }))[0]?.id, o?.id);
});

test('unattributed_key is quiet for a known key, and when no directory is configured at all', () => {
  const f = new UnattributedKey();
  assert.deepEqual(f.check(input()), []);
  assert.deepEqual(f.check(input({ identity: undefined, directoryConfigured: false })), []);
});
