import type { BulkItem } from './sink.js';

/** The NDJSON body of a bulk request for `items`, as the client would serialise the operations array. */
export function bulkBody(items: readonly BulkItem[]): string {
  let out = '';
  for (const it of items) {
    if (it.upsert) out += JSON.stringify({ update: { _index: it.index, _id: it.id, retry_on_conflict: 3 } }) + '\n' + JSON.stringify({ doc: it.doc, upsert: it.upsert }) + '\n';
    else out += JSON.stringify({ index: { _index: it.index, _id: it.id } }) + '\n' + JSON.stringify(it.doc) + '\n';
  }
  return out;
}
