import type { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { LlmAuditError, TransientError } from '../common/errors.js';

export function statusOf(err: unknown): number | undefined {
  return (err as { meta?: { statusCode?: number } }).meta?.statusCode;
}

/** Elasticsearch failures as the project's errors: unreachable, 429 and 5xx may pass; the rest will not. */
export function esError(what: string, err: unknown): LlmAuditError {
  if (err instanceof LlmAuditError) return err;
  const status = statusOf(err);
  const reason = (err as { meta?: { body?: { error?: { reason?: string } } } }).meta?.body?.error?.reason ?? (err as Error).message;
  // no status, or the client's 0 (ConnectionError, "no living connections"): nothing answered, which may pass
  if (!status || status === 429 || status >= 500) return new TransientError(`${what}: ${reason}`, err);
  return new LlmAuditError(`${what}: Elasticsearch answered ${status}: ${reason}`, { retriable: false, cause: err });
}

export async function es<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw esError(what, err);
  }
}

export interface Hit {
  _index: string;
  _id: string;
  _source: Record<string, unknown>;
  sort: estypes.SortResults;
}

export interface ScanOptions {
  index: string;
  query: estypes.QueryDslQueryContainer;
  /** Must end in a unique tiebreaker; `_shard_doc` is appended (free with a point in time). */
  sort: estypes.SortCombinations[];
  pageSize?: number;
  keepAlive?: string;
  sourceIncludes?: string[];
  signal?: AbortSignal;
}

/**
 * Every matching document once, in sort order, one page in memory at a time: a point in time
 * (a consistent snapshot, unlike scroll-free from/size) walked with search_after.
 */
export async function* scan(client: Client, o: ScanOptions): AsyncGenerator<Hit> {
  const keepAlive = o.keepAlive ?? '2m';
  const pit = await es(`open point in time on ${o.index}`, () =>
    client.openPointInTime({ index: o.index, keep_alive: keepAlive, ignore_unavailable: true }),
  );
  let pitId = pit.id;
  let after: estypes.SortResults | undefined;
  try {
    for (;;) {
      if (o.signal?.aborted) throw o.signal.reason ?? new Error('aborted');
      const res = await es(`search ${o.index}`, () =>
        client.search<Record<string, unknown>>({
          pit: { id: pitId, keep_alive: keepAlive },
          query: o.query,
          sort: [...o.sort, { _shard_doc: 'asc' }],
          size: o.pageSize ?? 1000,
          track_total_hits: false,
          ...(o.sourceIncludes ? { _source: { includes: o.sourceIncludes } } : {}),
          ...(after ? { search_after: after } : {}),
        }),
      );
      if (res.pit_id) pitId = res.pit_id;
      const hits = res.hits.hits;
      for (const h of hits) yield { _index: h._index, _id: h._id!, _source: (h._source ?? {}) as Record<string, unknown>, sort: h.sort! };
      if (hits.length < (o.pageSize ?? 1000)) return;
      after = hits[hits.length - 1]!.sort;
    }
  } finally {
    await client.closePointInTime({ id: pitId }).catch(() => undefined);
  }
}

export async function count(client: Client, index: string, query: estypes.QueryDslQueryContainer): Promise<number> {
  const res = await es(`count ${index}`, () => client.count({ index, query, ignore_unavailable: true, allow_no_indices: true }));
  return res.count;
}
