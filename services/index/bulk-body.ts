import type { BulkItem } from './sink.js';

// bytes per item of the last body: the next one's buffer is sized from it, so it is seldom grown
let bytesPerItem = 2048;

/**
 * The NDJSON body of a bulk request for `items`, the UTF-8 bytes the client would send for the operations array.
 * Each item's two lines are one string, encoded straight into one buffer: a body built as one long string is
 * flattened and encoded again by the transport (Buffer.byteLength for content-length, then the socket write),
 * about 1.2 µs per event more (bench/bulk-body-ab.mjs); a Buffer goes through the client as is.
 */
export function bulkBody(items: readonly BulkItem[]): Buffer {
  let cap = Math.ceil(items.length * bytesPerItem * 1.125) + 4096;
  let buf = Buffer.allocUnsafe(cap);
  let off = 0;
  let lastIndex: string | undefined;
  let indexHead = '';
  let updateHead = '';
  for (const it of items) {
    if (it.index !== lastIndex) {
      lastIndex = it.index;
      indexHead = `{"index":{"_index":${JSON.stringify(it.index)},"_id":`;
      updateHead = `{"update":{"_index":${JSON.stringify(it.index)},"_id":`;
    }
    const lines = it.upsert
      ? `${updateHead}${JSON.stringify(it.id)},"retry_on_conflict":3}}\n{"doc":${JSON.stringify(it.doc)},"upsert":${JSON.stringify(it.upsert)}}\n`
      : `${indexHead}${JSON.stringify(it.id)}}}\n${JSON.stringify(it.doc)}\n`;
    // a UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4)
    const most = lines.length * 3;
    if (off + most > cap) {
      cap = Math.max(cap * 2, off + most);
      const grown = Buffer.allocUnsafe(cap);
      buf.copy(grown, 0, 0, off);
      buf = grown;
    }
    off += buf.write(lines, off);
  }
  if (items.length > 0) bytesPerItem = Math.ceil(off / items.length);
  return buf.subarray(0, off);
}
