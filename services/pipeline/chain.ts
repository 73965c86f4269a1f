import { alertIndex, alertToDoc } from '../common/alert.js';
import type { FramedDecoder } from '../common/avro.js';
import { dailyIndex } from '../common/es.js';
import { InvalidInputError } from '../common/errors.js';
import type { StageCounters } from '../common/metrics.js';
import type { Alert, AuditRecord, Doc, UsageEvent } from '../common/types.js';
import { validateEvent } from '../decode/validate.js';
import { toAuditDoc } from '../index/audit-doc.js';
import type { BulkItem } from '../index/sink.js';

/**
 * The in-process half of a batch, shared by the pipeline and bench:chain so the benchmark measures the code
 * that runs: decode (unframe, Avro, validate, audit document) and the bulk items of what survived the stages.
 */

export interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
}

export interface DecodeFailure {
  message: RawMessage;
  /** The Avro-decoded value when it decoded (a validation failure). */
  decoded?: unknown;
  reason: string;
  error: string;
}

// decoding into the reader schema already fixed the fields: no look for unknown ones, and one options object
const DECODED = { allowUnknown: true } as const;

/** Decodes a partition's messages into records; the ones that can never decode go to `failed`. */
export async function decodeMessages(
  decoder: FramedDecoder<UsageEvent>,
  messages: readonly RawMessage[],
  partition: number,
  counters: StageCounters,
  failed: DecodeFailure[],
  now = Date.now(),
): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  const kafka = { partition, offset: '' };
  for (const m of messages) {
    counters.received++;
    let decoded: unknown;
    try {
      // the writer schema is resolved once per id; after that decoding needs no await
      decoded = decoder.decodeCached(m.value) ?? (await decoder.decode(m.value));
      const event = validateEvent(decoded, DECODED);
      kafka.offset = m.offset;
      records.push({ event, doc: toAuditDoc(event, kafka, now), alerts: [], partition, offset: m.offset });
      counters.sent++;
    } catch (err) {
      if (!(err instanceof InvalidInputError)) throw err;
      counters.errored++;
      failed.push({ message: m, decoded, reason: err.reason, error: err.message });
    }
  }
  return records;
}

/** One alert per incident per batch: the latest state wins. */
export function latestAlerts(records: readonly AuditRecord[]): Alert[] {
  const byId = new Map<string, Alert>();
  for (const r of records) for (const a of r.alerts) byId.set(a.id, a);
  return [...byId.values()];
}

/** The bulk items of a batch: one index per event document, one upsert per alert. */
export function bulkItems(records: readonly AuditRecord[], alerts: readonly Alert[], prefix: string): BulkItem<AuditRecord | Alert>[] {
  const items: BulkItem<AuditRecord | Alert>[] = new Array(records.length);
  // daily index names repeat for a whole day: one string per UTC day, not one per event
  let day = NaN;
  let index = '';
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const t = r.event.occurred_at;
    const d = Math.floor(t / 86_400_000);
    if (d !== day) {
      day = d;
      index = dailyIndex(prefix, 'events', t);
    }
    items[i] = { index, id: r.event.event_id, doc: r.doc, ref: r };
  }
  for (const a of alerts) {
    const full = alertToDoc(a);
    items.push({ index: alertIndex(prefix, a), id: a.id, doc: withoutStatus(full), upsert: full, ref: a });
  }
  return items;
}

function withoutStatus(doc: Doc): Doc {
  // An update must not reset the lifecycle (acknowledged/resolved) set from Slack.
  const copy = structuredClone(doc) as { llm_audit: { alert: Record<string, unknown> } } & Doc;
  delete copy.llm_audit.alert.status;
  return copy;
}
