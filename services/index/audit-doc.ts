import type { Doc, Json, UsageEvent } from '../common/types.js';

export const AUDIT_SCHEMA_VERSION = '1';

// the pipeline passes one `now` per batch: its ISO string is made once
let lastNow = NaN;
let lastIngested = '';

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const MILLIS_Z = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);
// 2000-01-01 .. 2100-01-01, the range validation lets through; outside it Date does the work
const FAST_FROM = 946_684_800_000;
const FAST_TO = 4_102_444_800_000;
let isoMinute = NaN;
let isoMinutePrefix = '';

/**
 * `new Date(ms).toISOString()` for integer epoch milliseconds: the minute's prefix is formatted once (events of a
 * batch share minutes), seconds and milliseconds come from tables. A Date per event costs several times more.
 */
export function isoMillis(ms: number): string {
  if (!(ms >= FAST_FROM && ms < FAST_TO) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const minute = Math.floor(ms / 60_000);
  if (minute !== isoMinute) {
    isoMinutePrefix = new Date(minute * 60_000).toISOString().slice(0, 17);
    isoMinute = minute;
  }
  const rest = ms - minute * 60_000;
  const sec = (rest / 1000) | 0;
  return isoMinutePrefix + (TWO[sec]! + '.' + MILLIS_Z[rest - sec * 1000]!);
}

/**
 * The ECS-shaped audit document for one usage event. Prompt and completion are never copied:
 * only the tokenize stage may add their tokenized form (llm_audit.prompt / llm_audit.completion).
 *
 * Every object is one literal holding, as undefined, the fields the later stages fill in (tokenize: prompt,
 * completion, pii; attribute: cost, owner, service...; detect: source.geo): documents keep one shape from decode to
 * the bulk body, with no property store grown per stage. JSON leaves undefined out, and the slots are in the order
 * the stages add them, so the body is the same bytes.
 */
export function toAuditDoc(e: UsageEvent, kafka?: { partition: number; offset: string }, now = Date.now()): Doc {
  if (now !== lastNow) {
    lastIngested = new Date(now).toISOString();
    lastNow = now;
  }
  const doc: Record<string, unknown> = {
    '@timestamp': isoMillis(e.occurred_at),
    event: {
      id: e.event_id,
      kind: 'event',
      category: ['api'],
      dataset: 'llm_audit.usage',
      outcome: e.status_code < 400 ? 'success' : 'failure',
      duration: e.latency_ms * 1_000_000,
      ingested: lastIngested,
    },
    http: { response: { status_code: e.status_code } },
    gen_ai: {
      system: e.provider,
      operation: { name: e.operation },
      request: { model: e.model },
      response: e.model_version ? { model: e.model_version } : undefined,
      usage: { input_tokens: e.input_tokens, output_tokens: e.output_tokens, total_tokens: e.input_tokens + e.output_tokens },
    },
    llm_audit: {
      schema_version: AUDIT_SCHEMA_VERSION,
      api_key: { id: e.api_key_id, created: undefined, age_days: undefined, status: undefined, attributed: undefined },
      gateway: { id: e.gateway_id },
      environment: e.environment,
      latency_ms: e.latency_ms,
      request_id: e.request_id ? e.request_id : undefined,
      kafka: kafka ? { partition: kafka.partition, offset: Number(kafka.offset) } : undefined,
      prompt: undefined,
      completion: undefined,
      pii: undefined,
      cost: undefined,
      owner: undefined,
      cost_center: undefined,
      slack_channel: undefined,
    },
    source: e.source_ip ? { ip: e.source_ip, geo: undefined } : undefined,
    user_agent: e.user_agent ? { original: e.user_agent } : undefined,
    user: e.principal_id ? { id: e.principal_id } : undefined,
    error: e.error_code ? { code: e.error_code } : undefined,
    service: undefined,
    organization: undefined,
  };
  return doc as Doc;
}
