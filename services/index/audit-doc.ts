import type { Doc, Json, UsageEvent } from '../common/types.js';

export const AUDIT_SCHEMA_VERSION = '1';

// the pipeline passes one `now` per batch: its ISO string is made once
let lastNow = NaN;
let lastIngested = '';

/**
 * The ECS-shaped audit document for one usage event. Prompt and completion are never copied:
 * only the tokenize stage may add their tokenized form (llm_audit.prompt / llm_audit.completion).
 */
export function toAuditDoc(e: UsageEvent, kafka?: { partition: number; offset: string }, now = Date.now()): Doc {
  if (now !== lastNow) {
    lastIngested = new Date(now).toISOString();
    lastNow = now;
  }
  const genAi: { [k: string]: Json } = {
    system: e.provider,
    operation: { name: e.operation },
    request: { model: e.model },
  };
  if (e.model_version) genAi.response = { model: e.model_version };
  genAi.usage = { input_tokens: e.input_tokens, output_tokens: e.output_tokens, total_tokens: e.input_tokens + e.output_tokens };
  const llmAudit: { [k: string]: Json } = {
    schema_version: AUDIT_SCHEMA_VERSION,
    api_key: { id: e.api_key_id },
    gateway: { id: e.gateway_id },
    environment: e.environment,
    latency_ms: e.latency_ms,
  };
  if (e.request_id) llmAudit.request_id = e.request_id;
  if (kafka) llmAudit.kafka = { partition: kafka.partition, offset: Number(kafka.offset) };
  const doc: Doc = {
    '@timestamp': new Date(e.occurred_at).toISOString(),
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
    gen_ai: genAi,
    llm_audit: llmAudit,
  };
  if (e.source_ip) doc.source = { ip: e.source_ip };
  if (e.user_agent) doc.user_agent = { original: e.user_agent };
  if (e.principal_id) doc.user = { id: e.principal_id };
  if (e.error_code) doc.error = { code: e.error_code };
  return doc;
}
