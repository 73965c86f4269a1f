import { defineConfig, type ConfigOf } from '../common/config.js';

/** `llm-audit intake`: OTLP/HTTP, OTLP over Kafka and LiteLLM in, usage events out. */
export const intakeConfig = defineConfig('intake', {
  host: { type: 'string', env: 'LLM_AUDIT_INTAKE_HOST', default: '127.0.0.1', description: 'Address the intake listens on (0.0.0.0 in containers).' },
  port: { type: 'int', env: 'LLM_AUDIT_INTAKE_PORT', default: 4318, min: 0, max: 65535, description: 'Port of OTLP/HTTP (/v1/traces, /v1/logs) and /litellm; 4318 is the OTLP/HTTP default.' },
  senderTokens: {
    type: 'string', env: 'LLM_AUDIT_INTAKE_TOKENS', secret: true, example: 'checkout:3f9a...,search:b71c...',
    description: 'Bearer token per sender, `sender:token` comma- or newline-separated (or LLM_AUDIT_INTAKE_TOKENS_FILE). The sender name becomes the gateway id when a span has no service.name.',
  },
  authRequired: { type: 'bool', env: 'LLM_AUDIT_INTAKE_AUTH_REQUIRED', default: true, description: 'Refuse requests without a known bearer token (401). Off only for local experiments.' },
  maxBodyBytes: { type: 'int', env: 'LLM_AUDIT_INTAKE_MAX_BODY_BYTES', default: 8 * 1024 * 1024, min: 1024, description: 'Largest request body on the wire; larger ones get 413 before they are read whole.' },
  maxDecompressedBytes: { type: 'int', env: 'LLM_AUDIT_INTAKE_MAX_DECOMPRESSED_BYTES', default: 32 * 1024 * 1024, min: 1024, description: 'Largest body after gzip; a gzip bomb stops here with 413.' },
  apiKeyAttribute: { type: 'string', env: 'LLM_AUDIT_INTAKE_API_KEY_ATTRIBUTE', default: 'llm_audit.api_key_id', description: 'Span or resource attribute holding the api key id. Missing: `service:<service.name>` (counted as missing_api_key).' },
  defaultEnvironment: { type: 'enum', env: 'LLM_AUDIT_INTAKE_DEFAULT_ENVIRONMENT', values: ['dev', 'staging', 'prod'] as const, default: 'prod', description: 'Environment when deployment.environment(.name) is missing or unknown.' },
  contentWaitMs: {
    type: 'int', env: 'LLM_AUDIT_INTAKE_CONTENT_WAIT_MS', default: 2000, min: 0, max: 30_000,
    description: 'How long a GenAI span without content waits for its prompt/completion log records, once its service is known to send them.',
  },
  joinMaxEntries: { type: 'int', env: 'LLM_AUDIT_INTAKE_JOIN_MAX_ENTRIES', default: 10_000, min: 1, description: 'Spans whose log-record content is held for joining; the oldest is evicted (counted) beyond it.' },
  joinTtlMs: { type: 'int', env: 'LLM_AUDIT_INTAKE_JOIN_TTL_MS', default: 60_000, min: 100, description: 'How long log-record content waits for its span.' },
  maxContentChars: { type: 'int', env: 'LLM_AUDIT_INTAKE_MAX_CONTENT_CHARS', default: 256 * 1024, min: 1, max: 4 * 1024 * 1024, description: 'Prompt or completion text kept per call; longer text is cut (the tokenizer caps again).' },
  maxInflightEvents: { type: 'int', env: 'LLM_AUDIT_INTAKE_MAX_INFLIGHT_EVENTS', default: 50_000, min: 1, description: 'Usage events produced but not yet acknowledged by Kafka; beyond it requests get 503 with Retry-After.' },
  retryAfterSeconds: { type: 'int', env: 'LLM_AUDIT_INTAKE_RETRY_AFTER_SECONDS', default: 2, min: 1, max: 300, description: 'Retry-After sent with 429 and 503.' },
  clientId: { type: 'string', env: 'LLM_AUDIT_INTAKE_CLIENT_ID', default: 'llm-audit-intake', description: 'Kafka client id of the intake.' },
  kafkaSource: { type: 'bool', env: 'LLM_AUDIT_INTAKE_KAFKA_SOURCE', default: false, description: 'Also consume OTLP protobuf (the Collector Kafka exporter, encoding otlp_proto) from Kafka.' },
  otlpSpansTopic: { type: 'string', env: 'LLM_AUDIT_INTAKE_OTLP_SPANS_TOPIC', default: 'otlp_spans', description: 'Topic of OTLP spans (the Collector kafka exporter default).' },
  otlpLogsTopic: { type: 'string', env: 'LLM_AUDIT_INTAKE_OTLP_LOGS_TOPIC', default: 'otlp_logs', description: 'Topic of OTLP log records (prompt/completion content); `none`: not consumed.' },
  groupId: { type: 'string', env: 'LLM_AUDIT_INTAKE_GROUP_ID', default: 'llm-audit-intake', description: 'Consumer group of the Kafka source.' },
  litellmApiKey: { type: 'enum', env: 'LLM_AUDIT_INTAKE_LITELLM_API_KEY', values: ['hash', 'alias'] as const, default: 'hash', description: 'Which LiteLLM key field becomes api_key_id: user_api_key_hash or user_api_key_alias (the other is used when it is missing).' },
});
export type IntakeConfig = ConfigOf<typeof intakeConfig.spec>;
