import type { Doc, UsageEvent } from '../common/types.js';

export const AUDIT_SCHEMA_VERSION = '1';

/**
 * The ECS-shaped audit document for one usage event. Prompt and completion are never copied:
 * only the tokenize stage may add their tokenized form (llm_audit.prompt / llm_audit.completion).
 */
export function toAuditDoc(e: UsageEvent, kafka?: { partition: number; offset: string }, now = Date.now()): Doc {
  const doc: Doc = {
    '@timestamp': new Date(e.occurred_at).toISOString(),
    event: {
      id: e.event_id,
      kind: 'event',
      category: ['api'],
      dataset: 'llm_audit.usage',
      outcome: e.status_code < 400 ? 'success' : 'failure',
      duration: e.latency_ms * 1_000_000,
      ingested: new Date(now).toISOString(),
    },
    http: { response: { status_code: e.status_code } },
    gen_ai: {
      system: e.provider,
      operation: { name: e.operation },
      request: { model: e.model },
      ...(e.model_version ? { response: { model: e.model_version } } : {}),
      usage: { input_tokens: e.input_tokens, output_tokens: e.output_tokens, total_tokens: e.input_tokens + e.output_tokens },
    },
    llm_audit: {
      schema_version: AUDIT_SCHEMA_VERSION,
      api_key: { id: e.api_key_id },
      gateway: { id: e.gateway_id },
      environment: e.environment,
      latency_ms: e.latency_ms,
      ...(e.request_id ? { request_id: e.request_id } : {}),
      ...(kafka ? { kafka: { partition: kafka.partition, offset: Number(kafka.offset) } } : {}),
    },
  };
  if (e.source_ip) doc.source = { ip: e.source_ip };
  if (e.user_agent) doc.user_agent = { original: e.user_agent };
  if (e.principal_id) doc.user = { id: e.principal_id };
  if (e.error_code) doc.error = { code: e.error_code };
  return doc;
}
