import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Serializer } from '@elastic/elasticsearch';
import { bulkBody } from './bulk-body.js';
import type { BulkItem } from './sink.js';

test('the bulk body is byte for byte what the client makes of the operations array', () => {
  const items: BulkItem[] = [
    { index: 'p-events-2026.12.01', id: '0b7c-"quoted"\\id', doc: { '@timestamp': 'x', a: { b: [1, 'two', null, { c: true }] }, gone: undefined, text: 'Zoë ✓ \u2028 "q" \n\t', n: 0.1 + 0.2 }, ref: null },
    { index: 'p-alerts-2026.12.01', id: 'a1', doc: { llm_audit: { alert: { count: 2 } } }, upsert: { llm_audit: { alert: { count: 2, status: 'open' } } }, ref: null },
    { index: 'p-events-2026.12.01', id: 'e2', doc: {}, ref: null },
  ];
  const operations: unknown[] = [];
  for (const it of items) {
    if (it.upsert) operations.push({ update: { _index: it.index, _id: it.id, retry_on_conflict: 3 } }, { doc: it.doc, upsert: it.upsert });
    else operations.push({ index: { _index: it.index, _id: it.id } }, it.doc);
  }
  assert.deepEqual(bulkBody(items), Buffer.from(new Serializer().ndserialize(operations as Record<string, unknown>[])));
  assert.equal(bulkBody([]).length, 0);
});

test('ids and index names that need escaping, and runs of items changing index, match the client too', () => {
  const ids = ['plain-id', 'q"uote', 'back\\slash', 'tab\t', 'nul\u0000', 'del\u007f', 'é', '\ud83d\ude00', 'lone \ud800', 'x'.repeat(300), ''];
  const indices = ['p-events-2026.12.01', 'p-events-2026.12.02', 'p-"odd"-index'];
  const items: BulkItem[] = [];
  for (let i = 0; i < ids.length * 2; i++) {
    const index = indices[Math.floor(i / 3) % indices.length]!;
    const id = ids[i % ids.length]!;
    items.push(i % 5 === 4 ? { index, id, doc: { n: i }, upsert: { n: i, s: id }, ref: null } : { index, id, doc: { id, n: i }, ref: null });
  }
  const operations: unknown[] = [];
  for (const it of items) {
    if (it.upsert) operations.push({ update: { _index: it.index, _id: it.id, retry_on_conflict: 3 } }, { doc: it.doc, upsert: it.upsert });
    else operations.push({ index: { _index: it.index, _id: it.id } }, it.doc);
  }
  assert.deepEqual(bulkBody(items), Buffer.from(new Serializer().ndserialize(operations as Record<string, unknown>[])));
});

test('a body far larger than the last one grows its buffer and still matches the client, multi-byte text included', () => {
  const serialize = (items: BulkItem[]) => {
    const operations: unknown[] = [];
    for (const it of items) {
      if (it.upsert) operations.push({ update: { _index: it.index, _id: it.id, retry_on_conflict: 3 } }, { doc: it.doc, upsert: it.upsert });
      else operations.push({ index: { _index: it.index, _id: it.id } }, it.doc);
    }
    return Buffer.from(new Serializer().ndserialize(operations as Record<string, unknown>[]));
  };
  // a small body first: the next buffer is sized from its bytes per item
  const small: BulkItem[] = [{ index: 'i', id: 'a', doc: { n: 1 }, ref: null }];
  assert.deepEqual(bulkBody(small), serialize(small));
  const text = ['ascii ', 'Zoë ', '✓✓ ', '\ud83d\ude00 ', '漢字 '];
  const big: BulkItem[] = [];
  for (let i = 0; i < 40; i++) {
    const t = text[i % text.length]!.repeat(2000 + i * 97);
    big.push(i % 7 === 3 ? { index: 'i', id: `u${i}`, doc: { t }, upsert: { t, n: i }, ref: null } : { index: i < 20 ? 'i' : 'j', id: `e${i}`, doc: { t, n: i }, ref: null });
  }
  const out = bulkBody(big);
  assert.ok(out.length > 1_000_000, `a body of ${out.length} bytes, far over the first estimate`);
  assert.deepEqual(out, serialize(big));
  // and back to small bodies: nothing of the large one is left over
  assert.deepEqual(bulkBody(small), serialize(small));
});
