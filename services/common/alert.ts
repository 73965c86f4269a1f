import { loadSchemaFile, FramedDecoder, FramedEncoder, type SchemaSource } from './avro.js';
import { dailyIndex } from './es.js';
import type { Alert, Doc, Json } from './types.js';

export const ALERT_SUBJECT = 'llm.alerts.v1-value';
export const alertType = () => loadSchemaFile('alert.v1.avsc');

interface AlertRecord extends Omit<Alert, 'evidence' | 'owner'> {
  evidence_json: string;
  owner: Alert['owner'] | null;
}

export function toAvro(a: Alert): AlertRecord {
  const { evidence, owner, ...rest } = a;
  return {
    ...rest,
    principal_id: a.principal_id ?? null,
    source_ip: a.source_ip ?? null,
    country: a.country ?? null,
    evidence_json: JSON.stringify(evidence),
    owner: owner
      ? { team: owner.team ?? null, service: owner.service ?? null, environment: owner.environment ?? null, principal_type: owner.principal_type ?? null, slack_channel: owner.slack_channel ?? null }
      : null,
  };
}

export function fromAvro(r: AlertRecord): Alert {
  const { evidence_json, owner, ...rest } = r;
  return { ...rest, evidence: JSON.parse(evidence_json) as Record<string, Json>, ...(owner ? { owner } : {}) };
}

export const alertEncoder = (source: SchemaSource) => new FramedEncoder<AlertRecord>(source, ALERT_SUBJECT, alertType());
export const alertDecoder = (source: SchemaSource) => new FramedDecoder<AlertRecord>(source, alertType());

/** Alerts index by the triggering event's time, like events: <prefix>-alerts-YYYY.MM.DD. */
export const alertIndex = (prefix: string, a: Alert) => dailyIndex(prefix, 'alerts', a.first_seen);

/** The alert's Elasticsearch document (ECS names where ECS has them). */
export function alertToDoc(a: Alert): Doc {
  const doc: Doc = {
    '@timestamp': new Date(a.timestamp).toISOString(),
    event: { kind: 'alert', created: new Date(a.created).toISOString(), id: a.id },
    rule: { name: a.rule },
    message: a.message,
    llm_audit: {
      api_key: { id: a.api_key_id },
      alert: {
        id: a.id,
        kind: a.kind,
        severity: a.severity,
        first_seen: new Date(a.first_seen).toISOString(),
        last_seen: new Date(a.last_seen).toISOString(),
        count: a.count,
        status: 'open',
      },
      evidence: a.evidence as Json,
      ...(a.owner ? { owner: { team: a.owner.team ?? null, service: a.owner.service ?? null, environment: a.owner.environment ?? null, principal_type: a.owner.principal_type ?? null, slack_channel: a.owner.slack_channel ?? null } } : {}),
    },
  };
  if (a.principal_id) doc.user = { id: a.principal_id };
  if (a.source_ip || a.country) doc.source = { ...(a.source_ip ? { ip: a.source_ip } : {}), ...(a.country ? { geo: { country_iso_code: a.country } } : {}) };
  if (a.owner?.service) doc.service = { name: a.owner.service, environment: a.owner.environment ?? null };
  return doc;
}
