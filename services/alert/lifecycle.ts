import type { Client } from '@elastic/elasticsearch';
import { retry } from '../common/retry.js';
import { alertIndex, alertToDoc } from '../common/alert.js';
import { LlmAuditError, TransientError } from '../common/errors.js';
import type { Alert, Doc, Json } from '../common/types.js';
import type { AlertStatus, StatusChange } from './sinks/sink.js';

const ORDER: Record<AlertStatus, number> = { open: 0, acknowledged: 1, resolved: 2 };

/** Lifecycle moves forward only: open → acknowledged → resolved (or open → resolved). Repeats are no-ops. */
export const advances = (from: AlertStatus, to: AlertStatus): boolean => ORDER[to] > ORDER[from];

export interface StatusResult {
  index: string;
  id: string;
  created: boolean;
  time_to_ack_ms?: number;
  time_to_resolve_ms?: number;
}

function statusFields(change: StatusChange, detectedAt: number | undefined): Record<string, Json> {
  const at = new Date(change.at).toISOString();
  const since = detectedAt !== undefined && Number.isFinite(detectedAt) ? Math.max(0, change.at - detectedAt) : null;
  return change.status === 'acknowledged'
    ? { status: 'acknowledged', acknowledged_by: change.by, acknowledged_at: at, time_to_ack_ms: since }
    : { status: 'resolved', resolved_by: change.by, resolved_at: at, time_to_resolve_ms: since };
}

/**
 * The alert document's status in `<prefix>-alerts-*` (found by alert id across the daily indices).
 * Times are measured from detection (`event.created`), so time to acknowledge includes delivery.
 * When the indexer has not written the alert yet, the document is created from the alert itself.
 */
export class AlertStatusStore {
  constructor(private readonly es: Client, private readonly prefix: string) {}

  async find(alertId: string): Promise<{ index: string; id: string; source: Doc; seq: number; term: number } | undefined> {
    try {
      const r = await this.es.search<Doc>({
        index: `${this.prefix}-alerts-*`,
        ignore_unavailable: true,
        allow_no_indices: true,
        seq_no_primary_term: true,
        size: 1,
        query: { bool: { should: [{ ids: { values: [alertId] } }, { term: { 'llm_audit.alert.id': alertId } }, { term: { 'llm_audit.alert.id.keyword': alertId } }], minimum_should_match: 1 } },
      });
      const h = r.hits.hits[0];
      return h ? { index: h._index, id: h._id!, source: h._source ?? {}, seq: h._seq_no!, term: h._primary_term! } : undefined;
    } catch (err) {
      throw new TransientError(`alerts index: search ${alertId}: ${(err as Error).message}`, err);
    }
  }

  /** Optimistic concurrency: a 409 (written meanwhile) re-reads and tries again, through the shared retry(). */
  async setStatus(alertId: string, change: StatusChange, fallback?: Alert): Promise<StatusResult> {
    const conflict = (err: unknown) => (err as { meta?: { statusCode?: number } }).meta?.statusCode === 409;
    try {
      return await retry(() => this.setStatusOnce(alertId, change, fallback), { retries: 4, initialDelayMs: 10, maxDelayMs: 100, jitter: 0.5, shouldRetry: conflict });
    } catch (err) {
      if (err instanceof LlmAuditError) throw err;
      throw new TransientError(`alerts index: ${alertId}: ${(err as Error).message}`, err);
    }
  }

  private async setStatusOnce(alertId: string, change: StatusChange, fallback?: Alert): Promise<StatusResult> {
    const hit = await this.find(alertId);
    if (!hit) {
      if (!fallback) throw new LlmAuditError(`alert ${alertId} is in neither the alerts index nor the delivery records`);
      const doc = alertToDoc(fallback);
      const fields = statusFields(change, fallback.created);
      Object.assign((doc.llm_audit as { alert: Record<string, Json> }).alert, fields);
      const index = alertIndex(this.prefix, fallback);
      await this.es.index({ index, id: fallback.id, document: doc, refresh: 'wait_for', op_type: 'create' });
      return { index, id: fallback.id, created: true, ...pickTimes(fields) };
    }
    const created = Date.parse(String((hit.source.event as Doc | undefined)?.created ?? ''));
    const fields = statusFields(change, Number.isNaN(created) ? fallback?.created : created);
    await this.es.update({ index: hit.index, id: hit.id, doc: { llm_audit: { alert: fields } }, if_seq_no: hit.seq, if_primary_term: hit.term, refresh: 'wait_for' });
    return { index: hit.index, id: hit.id, created: false, ...pickTimes(fields) };
  }
}

function pickTimes(f: Record<string, Json>): Pick<StatusResult, 'time_to_ack_ms' | 'time_to_resolve_ms'> {
  const out: Pick<StatusResult, 'time_to_ack_ms' | 'time_to_resolve_ms'> = {};
  if (typeof f.time_to_ack_ms === 'number') out.time_to_ack_ms = f.time_to_ack_ms;
  if (typeof f.time_to_resolve_ms === 'number') out.time_to_resolve_ms = f.time_to_resolve_ms;
  return out;
}
