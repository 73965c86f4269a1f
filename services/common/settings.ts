import { defineConfig, type ConfigOf } from './config.js';

/** Connection and topic settings every service shares. */
export const coreConfig = defineConfig('core', {
  kafkaBrokers: { type: 'list', env: 'KAFKA_BROKERS', default: ['127.0.0.1:9092'], description: 'Kafka bootstrap brokers, comma-separated.' },
  kafkaClientId: { type: 'string', env: 'KAFKA_CLIENT_ID', default: 'llm-audit', description: 'Kafka client id prefix.' },
  elasticsearchUrl: { type: 'string', env: 'ELASTICSEARCH_URL', default: 'http://127.0.0.1:9200', description: 'Elasticsearch URL; several nodes of one cluster comma-separated.' },
  elasticsearchUsername: { type: 'string', env: 'ELASTICSEARCH_USERNAME', description: 'Elasticsearch basic-auth user (optional).' },
  elasticsearchPassword: { type: 'string', env: 'ELASTICSEARCH_PASSWORD', secret: true, description: 'Elasticsearch basic-auth password (optional; or ELASTICSEARCH_PASSWORD_FILE).' },
  schemaRegistryUrl: { type: 'string', env: 'SCHEMA_REGISTRY_URL', description: 'Confluent Schema Registry URL. Unset: schema ids come from schemas/registry.json.' },
  usageTopic: { type: 'string', env: 'LLM_AUDIT_USAGE_TOPIC', default: 'llm.usage.v1', description: 'Input topic of usage events (Avro, Confluent framing).' },
  dlqTopic: { type: 'string', env: 'LLM_AUDIT_DLQ_TOPIC', default: 'llm.usage.dlq', description: 'Dead-letter topic for messages that can never be indexed.' },
  alertsTopic: { type: 'string', env: 'LLM_AUDIT_ALERTS_TOPIC', default: 'llm.alerts.v1', description: 'Topic alerts are written to.' },
  topicPartitions: { type: 'int', env: 'LLM_AUDIT_TOPIC_PARTITIONS', default: 6, min: 1, description: 'Partitions for topics the admin step creates.' },
  topicReplication: { type: 'int', env: 'LLM_AUDIT_TOPIC_REPLICATION', default: 1, min: 1, description: 'Replication factor for topics the admin step creates.' },
  indexPrefix: { type: 'string', env: 'LLM_AUDIT_INDEX_PREFIX', default: 'llm-audit', description: 'Prefix of every index: <prefix>-events-YYYY.MM.DD, <prefix>-alerts-YYYY.MM.DD.' },
  logLevel: { type: 'enum', env: 'LOG_LEVEL', values: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], default: 'info', description: 'pino log level.' },
  httpHost: { type: 'string', env: 'LLM_AUDIT_HTTP_HOST', default: '127.0.0.1', description: 'Address /healthz and /metrics bind to (0.0.0.0 in containers).' },
  httpPort: { type: 'int', env: 'LLM_AUDIT_HTTP_PORT', default: 9464, min: 0, max: 65535, description: 'Port of /healthz and /metrics (0 picks a free port).' },
});
export type CoreConfig = ConfigOf<typeof coreConfig.spec>;
