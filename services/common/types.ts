/** The usage-event contract (schemas/usage-event.v1.avsc), in its decoded JSON form. */
export interface UsageEvent {
  event_id: string;
  occurred_at: number;
  gateway_id: string;
  environment: 'dev' | 'staging' | 'prod';
  provider: string;
  operation: string;
  model: string;
  model_version: string | null;
  api_key_id: string;
  principal_id: string | null;
  source_ip: string | null;
  user_agent: string | null;
  status_code: number;
  error_code: string | null;
  input_tokens: number;
  output_tokens: number;
  latency_ms: number;
  request_id: string | null;
  prompt: string | null;
  completion: string | null;
}

export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type Doc = { [k: string]: Json | undefined };

/** An alert (schemas/alert.v1.avsc once the detect stage lands) in its ECS document form. */
export interface Alert {
  /** Stable per incident: the same rule and subject keep the same id while the condition holds. */
  id: string;
  rule: string;
  kind: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  api_key_id: string;
  /** Event time of the event that triggered it, epoch ms. */
  timestamp: number;
  /** Wall-clock time of detection, epoch ms. */
  created: number;
  first_seen: number;
  last_seen: number;
  count: number;
  principal_id?: string | null;
  source_ip?: string | null;
  country?: string | null;
  message: string;
  /** Numbers and names that explain the alert: observed, baseline, window, threshold, countries, distance... Never raw PII. */
  evidence: Record<string, Json>;
  /** Owner from the identity directory, when known (set by the attribute stage's lookup). */
  owner?: { team?: string | null; service?: string | null; environment?: string | null; principal_type?: string | null; slack_channel?: string | null };
}

/** One event on its way through the pipeline. Stages enrich `doc` in place and may add alerts. */
export interface AuditRecord {
  event: UsageEvent;
  /** The Elasticsearch document being built (nested ECS objects). */
  doc: Doc;
  alerts: Alert[];
  partition: number;
  offset: string;
  /** Set by a stage that decided this record must not be indexed; it goes to the dead-letter topic. */
  deadLetter?: { reason: string; message: string; stage: string };
}

/** Split dotted paths: callers pass a few dozen constant paths, so each is split once (bounded for dynamic ones). */
const PATHS = new Map<string, readonly string[]>();
function split(path: string): readonly string[] {
  let parts = PATHS.get(path);
  if (parts === undefined) {
    parts = path.split('.');
    if (PATHS.size < 4096) PATHS.set(path, parts);
  }
  return parts;
}

/** The object under `key` of `doc`, created (or replacing a non-object) as setPath does on its way. */
export function child(doc: Doc, key: string): Doc {
  const v = doc[key];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Doc;
  const o: Doc = {};
  doc[key] = o as Json;
  return o;
}

/** Set a dotted path in a nested document, creating objects on the way. */
export function setPath(doc: Doc, path: string, value: Json | undefined): void {
  const parts = split(path);
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    let next = cur[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      next = {};
      cur[p] = next;
    }
    cur = next as Doc;
  }
  cur[parts[parts.length - 1]!] = value;
}

export function getPath(doc: Doc, path: string): Json | undefined {
  let cur: Json | undefined = doc as Json;
  for (const p of split(path)) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Doc)[p];
  }
  return cur;
}
