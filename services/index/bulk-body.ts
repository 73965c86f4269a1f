import type { BulkItem } from './sink.js';

/**
 * The NDJSON body of a bulk request for `items`, the bytes the client would send for the operations array, built
 * as one string: action lines are written directly and each document is stringified once.
 */
export function bulkBody(items: readonly BulkItem[]): string {
  let out = '';
  for (const it of items) {
    const meta = `{"_index":${JSON.stringify(it.index)},"_id":${JSON.stringify(it.id)}`;
    if (it.upsert) out += `{"update":${meta},"retry_on_conflict":3}}\n{"doc":${JSON.stringify(it.doc)},"upsert":${JSON.stringify(it.upsert)}}\n`;
    else out += `{"index":${meta}}}\n${JSON.stringify(it.doc)}\n`;
  }
  return out;
}
