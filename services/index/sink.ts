import type { Client, estypes } from '@elastic/elasticsearch';
import { bulkBody } from './bulk-body.js';
import { errorMessage, TransientError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import { retry } from '../common/retry.js';
import type { Doc } from '../common/types.js';

/** One document to write. `upsert` merges `doc` into an existing document (alerts), creating it from `upsert` if absent. */
export interface BulkItem<T = unknown> {
  index: string;
  id: string;
  doc: Doc;
  upsert?: Doc;
  /** Whatever the caller needs back for a failed item (the Kafka record, say). */
  ref: T;
}

export interface ItemFailure<T> {
  item: BulkItem<T>;
  status: number;
  reason: string;
}

/**
 * How Vector's elasticsearch sink classifies: 429 and 5xx may succeed later, the rest never will.
 * 409 on an upsert means a concurrent writer; retrying re-applies our partial doc, so it is retriable too.
 */
export function classifyItem(status: number): 'ok' | 'retry' | 'reject' {
  if (status >= 200 && status < 300) return 'ok';
  if (status === 429 || status === 409 || status >= 500) return 'retry';
  return 'reject';
}

export function classifyRequestError(err: unknown): TransientError | undefined {
  const e = err as { name?: string; meta?: { statusCode?: number } };
  const status = e.meta?.statusCode;
  // Only the client's own errors can be transient: a TypeError from our code retried forever would stall the partition.
  const fromClient = e.meta !== undefined;
  if (e.name === 'ConnectionError' || e.name === 'TimeoutError' || e.name === 'NoLivingConnectionsError' || (fromClient && (status === undefined || status === 429 || status >= 500))) {
    return new TransientError(`Elasticsearch bulk request failed: ${errorMessage(err)}`, err);
  }
  return undefined;
}

export const BULK_FILTER = ['errors', 'items.*.status', 'items.*.error'];

export interface WriteOptions {
  /** Called between attempts; throw from it to give up (e.g. the consumer lost its partition). */
  beforeRetry?: (attempt: number, err: unknown) => Promise<void>;
  signal?: AbortSignal;
  maxDelayMs?: number;
}

export class ElasticsearchSink {
  constructor(
    private readonly es: Client,
    private readonly logger: Logger,
    private readonly metrics: MetricsRegistry,
    private readonly stageName = 'index',
  ) {}

  private async bulkOnce<T>(items: BulkItem<T>[]): Promise<{ retry: BulkItem<T>[]; rejected: ItemFailure<T>[] }> {
    // the NDJSON is built here, in one pass (the client sends a string body as is)
    const operations = bulkBody(items) as unknown as estypes.BulkRequest['operations'];
    const started = performance.now();
    let res;
    try {
      // only what classifying needs comes back: an item's status and error, not its index, id, version and shards
      res = await this.es.bulk({ operations, refresh: false, filter_path: BULK_FILTER });
    } catch (err) {
      const transient = classifyRequestError(err);
      if (transient) throw transient;
      throw err;
    } finally {
      this.metrics.observe('llm_audit_bulk_latency_ms', 'Elasticsearch bulk request latency.', { stage: this.stageName }, performance.now() - started);
    }
    const retry: BulkItem<T>[] = [];
    const rejected: ItemFailure<T>[] = [];
    if (!res.errors) return { retry, rejected };
    if (res.items?.length !== items.length) throw new TransientError(`bulk: ${res.items?.length ?? 0} item results for ${items.length} items`);
    res.items.forEach((entry, i) => {
      const r = (entry.index ?? entry.update ?? entry.create)!;
      const verdict = classifyItem(r.status);
      if (verdict === 'ok') return;
      const reason = r.error ? `${r.error.type}: ${r.error.reason ?? ''}` : `status ${r.status}`;
      if (verdict === 'retry') retry.push(items[i]!);
      else rejected.push({ item: items[i]!, status: r.status, reason });
    });
    return { retry, rejected };
  }

  /**
   * Writes every item or returns it as rejected. Retriable failures (whole request or single items)
   * are retried with backoff until they succeed, `beforeRetry` throws, or `signal` aborts.
   */
  async write<T>(items: BulkItem<T>[], opts: WriteOptions = {}): Promise<ItemFailure<T>[]> {
    const rejected: ItemFailure<T>[] = [];
    let pending = items;
    if (pending.length === 0) return rejected;
    await retry(async () => {
      try {
        const out = await this.bulkOnce(pending);
        rejected.push(...out.rejected);
        pending = out.retry;
      } catch (err) {
        if (err instanceof TransientError) this.metrics.inc('llm_audit_bulk_request_failures_total', 'Bulk requests that failed as a whole (Elasticsearch unreachable or overloaded).', { stage: this.stageName });
        throw err;
      }
      if (pending.length > 0) {
        this.metrics.inc('llm_audit_bulk_item_retries_total', 'Bulk items retried after 429/5xx.', { stage: this.stageName }, pending.length);
        throw new TransientError(`bulk: ${pending.length} item(s) answered 429/5xx`);
      }
    }, {
      retries: Infinity, initialDelayMs: 200, maxDelayMs: opts.maxDelayMs ?? 5_000, jitter: 0.2, signal: opts.signal,
      beforeRetry: ({ attempt, err }) => opts.beforeRetry?.(attempt, err), hookEveryMs: 3_000,
      onRetry: ({ attempt, err }) => {
        if (attempt === 1 || attempt % 10 === 0) this.logger.warn({ attempt, err: errorMessage(err), items: pending.length }, 'Elasticsearch unavailable; holding the batch and retrying');
      },
    });
    return rejected;
  }
}
