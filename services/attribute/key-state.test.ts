import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { KeyStateStore } from './key-state.js';

/** An index that exists but whose shard is not allocated yet for the first `failures` searches. */
function fakeEs(failures: number, fatal = false) {
  let searches = 0;
  const es = {
    indices: { exists: async () => true, create: async () => ({}) },
    search: async () => {
      searches++;
      if (searches <= failures) {
        if (fatal) throw new TypeError('not a transport error');
        throw Object.assign(new Error('no_shard_available_action_exception'), { name: 'ResponseError', meta: { statusCode: 503 } });
      }
      return { _scroll_id: 's1', hits: { hits: [{ _source: { api_key_id: 'k1', first_seen: 1, last_seen: 2 } }] } };
    },
    scroll: async () => ({ _scroll_id: 's1', hits: { hits: [] } }),
    clearScroll: async () => ({}),
  } as unknown as Client;
  return { es, searches: () => searches };
}

describe('KeyStateStore.load', () => {
  it('retries an index whose shard is not allocated yet, instead of failing the start', async () => {
    const f = fakeEs(2);
    const store = new KeyStateStore(f.es, 'p-key-state');
    assert.equal(await store.load({ initialDelayMs: 1, maxDelayMs: 1 }), 1);
    assert.equal(f.searches(), 3);
    assert.equal(store.get('k1')?.last_seen, 2);
  });

  it('gives up after its attempts, with a retriable error naming the index', async () => {
    const f = fakeEs(100);
    await assert.rejects(new KeyStateStore(f.es, 'p-key-state').load({ retries: 3, initialDelayMs: 1, maxDelayMs: 1 }), /p-key-state cannot be loaded/);
    assert.equal(f.searches(), 3);
  });
});
