import type { Client } from '@elastic/elasticsearch';
import { LlmAuditError, TransientError } from '../common/errors.js';
import type { DeliveryRecord } from './sinks/sink.js';
import { createIndexIfMissing } from '../common/es.js';

export const recordId = (alertId: string, sink: string, channel: string): string => `${alertId}:${sink}:${channel}`;

const MAPPINGS = {
  dynamic: 'strict' as const,
  properties: {
    alert_id: { type: 'keyword' as const },
    sink: { type: 'keyword' as const },
    channel: { type: 'keyword' as const },
    channel_id: { type: 'keyword' as const },
    status: { type: 'keyword' as const },
    ts: { type: 'keyword' as const },
    last_count: { type: 'integer' as const },
    updates: { type: 'integer' as const },
    rule: { type: 'keyword' as const },
    severity: { type: 'keyword' as const },
    api_key_id: { type: 'keyword' as const },
    team: { type: 'keyword' as const },
    first_seen: { type: 'date' as const, format: 'epoch_millis' },
    attempt_started_at: { type: 'date' as const, format: 'epoch_millis' },
    delivered_at: { type: 'date' as const, format: 'epoch_millis' },
    updated_at: { type: 'date' as const, format: 'epoch_millis' },
    error: { type: 'keyword' as const, ignore_above: 1024 },
    alert_status: { type: 'keyword' as const },
    acknowledged_by: { type: 'keyword' as const },
    acknowledged_at: { type: 'date' as const, format: 'epoch_millis' },
    resolved_by: { type: 'keyword' as const },
    resolved_at: { type: 'date' as const, format: 'epoch_millis' },
    alert: { type: 'object' as const, enabled: false },
  },
};

const transient = (what: string, err: unknown) => {
  const status = (err as { meta?: { statusCode?: number } }).meta?.statusCode;
  // 4xx other than 429 is our bug (mapping, bad id): retrying cannot help
  if (status && status >= 400 && status < 500 && status !== 429) return new LlmAuditError(`deliveries: ${what}: HTTP ${status}`, { retriable: false, cause: err });
  return new TransientError(`deliveries: ${what}: ${(err as Error).message}`, err);
};

/** What the dispatcher needs from delivery records (Elasticsearch in production, memory in unit tests). */
export interface RecordStore {
  ensureIndex(): Promise<void>;
  get(id: string): Promise<DeliveryRecord | undefined>;
  /** Many records by id (missing ones are absent from the map). */
  getMany(ids: string[]): Promise<Map<string, DeliveryRecord>>;
  put(r: DeliveryRecord): Promise<void>;
  byAlert(alertId: string): Promise<DeliveryRecord[]>;
  held(): Promise<DeliveryRecord[]>;
}

/** Records in a Map: unit tests and dry runs. */
export class MemoryStore implements RecordStore {
  readonly docs = new Map<string, DeliveryRecord>();
  async ensureIndex(): Promise<void> {}
  async get(id: string) {
    const r = this.docs.get(id);
    return r ? structuredClone(r) : undefined;
  }
  async getMany(ids: string[]) {
    const out = new Map<string, DeliveryRecord>();
    for (const id of ids) {
      const r = this.docs.get(id);
      if (r) out.set(id, structuredClone(r));
    }
    return out;
  }
  async put(r: DeliveryRecord) {
    this.docs.set(recordId(r.alert_id, r.sink, r.channel), structuredClone(r));
  }
  async byAlert(alertId: string) {
    return [...this.docs.values()].filter((r) => r.alert_id === alertId);
  }
  async held() {
    return [...this.docs.values()].filter((r) => r.status === 'held');
  }
}

/**
 * Delivery records in Elasticsearch, one document per (alert, sink, channel). Reads are GETs by id,
 * which are real-time (no refresh needed), so "was this incident posted?" is always current.
 */
export class DeliveryStore implements RecordStore {
  constructor(readonly es: Client, readonly index: string) {}

  async ensureIndex(): Promise<void> {
    try {
      await createIndexIfMissing(this.es, this.index, MAPPINGS);
    } catch (err) {
      throw transient('create index', err);
    }
  }

  async get(id: string): Promise<DeliveryRecord | undefined> {
    try {
      const r = await this.es.get<DeliveryRecord>({ index: this.index, id }, { ignore: [404] });
      return r.found ? r._source : undefined;
    } catch (err) {
      throw transient('get', err);
    }
  }

  async getMany(ids: string[]): Promise<Map<string, DeliveryRecord>> {
    const out = new Map<string, DeliveryRecord>();
    if (ids.length === 0) return out;
    try {
      const r = await this.es.mget<DeliveryRecord>({ index: this.index, ids });
      for (const d of r.docs) if ('found' in d && d.found && d._source) out.set(d._id, d._source);
      return out;
    } catch (err) {
      throw transient('mget', err);
    }
  }

  async put(r: DeliveryRecord, refresh: boolean | 'wait_for' = false): Promise<void> {
    try {
      await this.es.index({ index: this.index, id: recordId(r.alert_id, r.sink, r.channel), document: r, refresh });
    } catch (err) {
      throw transient('put', err);
    }
  }

  async search(query: Record<string, unknown>, size = 1000): Promise<DeliveryRecord[]> {
    try {
      await this.es.indices.refresh({ index: this.index });
      const r = await this.es.search<DeliveryRecord>({ index: this.index, query, size, sort: [{ updated_at: 'asc' }] });
      return r.hits.hits.map((h) => h._source!).filter(Boolean);
    } catch (err) {
      throw transient('search', err);
    }
  }

  byAlert(alertId: string): Promise<DeliveryRecord[]> {
    return this.search({ term: { alert_id: alertId } });
  }

  /** Alerts held back by the rate cap and not yet in a summary (a restart picks them up). */
  held(): Promise<DeliveryRecord[]> {
    return this.search({ term: { status: 'held' } }, 10_000);
  }
}
