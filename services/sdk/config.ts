import { defineConfig, type ConfigOf } from '../common/config.js';

/** What a gateway tunes on the emitter it embeds. Brokers, registry and the default topic come from `core`. */
export const sdkConfig = defineConfig('sdk', {
  topic: { type: 'string', env: 'LLM_AUDIT_SDK_TOPIC', description: 'Topic the emitter writes to. Unset: LLM_AUDIT_USAGE_TOPIC (llm.usage.v1).' },
  clientId: { type: 'string', env: 'LLM_AUDIT_SDK_CLIENT_ID', default: 'llm-audit-sdk', description: 'Kafka client id of the emitter.' },
  lingerMs: { type: 'int', env: 'LLM_AUDIT_SDK_LINGER_MS', default: 20, min: 0, max: 60_000, description: 'How long a partial batch waits for more events before it is sent.' },
  batchSize: { type: 'int', env: 'LLM_AUDIT_SDK_BATCH_SIZE', default: 500, min: 1, max: 100_000, description: 'Events per produce request; a full batch is sent at once.' },
  maxBufferedEvents: {
    type: 'int', env: 'LLM_AUDIT_SDK_MAX_BUFFERED_EVENTS', default: 10_000, min: 1,
    description: 'Events held in memory (queued and in flight). When reached, emit() waits for room (backpressure).',
  },
  maxBufferedBytes: {
    type: 'int', env: 'LLM_AUDIT_SDK_MAX_BUFFERED_BYTES', default: 16 * 1024 * 1024, min: 1024,
    description: 'Encoded bytes held in memory. When reached, emit() waits for room (backpressure).',
  },
  compression: { type: 'enum', env: 'LLM_AUDIT_SDK_COMPRESSION', values: ['none', 'gzip'], default: 'none', description: 'Produce-request compression (kafkajs ships gzip only).' },
  sendRetries: {
    type: 'int', env: 'LLM_AUDIT_SDK_SEND_RETRIES', default: 10, min: 1,
    description: 'Retries kafkajs makes for a batch (exponential backoff) before its events are reported undeliverable.',
  },
  ackTimeoutMs: { type: 'int', env: 'LLM_AUDIT_SDK_ACK_TIMEOUT_MS', default: 30_000, min: 100, description: 'How long the broker may take to acknowledge a batch (acks=all).' },
});
export type SdkConfig = ConfigOf<typeof sdkConfig.spec>;
