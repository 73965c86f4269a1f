import { defineConfig, type ConfigOf } from './config.js';

/** Connection and topic settings every service shares. */
export const coreConfig = defineConfig('core', {
  kafkaBrokers: { type: 'list', env: 'KAFKA_BROKERS', default: ['127.0.0.1:9092'], description: 'Kafka bootstrap brokers, comma-separated.' },
  kafkaClientId: { type: 'string', env: 'KAFKA_CLIENT_ID', default: 'llm-audit', description: 'Kafka client id prefix.' },
  elasticsearchUrl: { type: 'string', env: 'ELASTICSEARCH_URL', default: 'http://127.0.0.1:9200', description: 'Elasticsearch URL; several nodes of one cluster comma-separated.' },
  elasticsearchUsername: { type: 'string', env: 'ELASTICSEARCH_USERNAME', description: 'Elasticsearch basic-auth user (optional).' },
  elasticsearchPassword: { type: 'string', env: 'ELASTICSEARCH_PASSWORD', secret: true, description: 'Elasticsearch basic-auth password (optional; or ELASTICSEARCH_PASSWORD_FILE).' },
  elasticsearchApiKey: { type: 'string', env: 'ELASTICSEARCH_API_KEY', secret: true, description: 'Elasticsearch API key, the base64 `id:api_key` form the create-API-key call returns as `encoded` (or ELASTICSEARCH_API_KEY_FILE). Wins over basic auth.' },
  elasticsearchCaFile: { type: 'string', env: 'ELASTICSEARCH_CA_FILE', description: 'PEM file of the CA that signed the Elasticsearch certificate (https URLs); unset: the system trust store.' },
  elasticsearchTlsVerify: { type: 'bool', env: 'ELASTICSEARCH_TLS_VERIFY', default: true, description: 'Verify the Elasticsearch certificate and host name. Off only for a throwaway test cluster.' },
  kafkaSsl: { type: 'bool', env: 'KAFKA_SSL', default: false, description: 'Connect to the brokers over TLS (listeners SSL or SASL_SSL).' },
  kafkaSslCaFile: { type: 'string', env: 'KAFKA_SSL_CA_FILE', description: 'PEM file of the CA that signed the broker certificates; unset: the system trust store.' },
  kafkaSslCertFile: { type: 'string', env: 'KAFKA_SSL_CERT_FILE', description: 'PEM client certificate, for brokers that require mutual TLS (ssl.client.auth=required).' },
  kafkaSslKeyFile: { type: 'string', env: 'KAFKA_SSL_KEY_FILE', description: 'PEM private key of KAFKA_SSL_CERT_FILE.' },
  kafkaSslVerify: { type: 'bool', env: 'KAFKA_SSL_VERIFY', default: true, description: 'Verify the broker certificates and host names. Off only for a throwaway test broker.' },
  kafkaSaslMechanism: {
    type: 'enum', env: 'KAFKA_SASL_MECHANISM', values: ['none', 'plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'] as const, default: 'none',
    description: 'SASL mechanism (use with KAFKA_SSL=true: SASL_SSL). oauthbearer sends KAFKA_SASL_OAUTHBEARER_TOKEN.',
  },
  kafkaSaslUsername: { type: 'string', env: 'KAFKA_SASL_USERNAME', description: 'SASL user for plain and scram-*.' },
  kafkaSaslPassword: { type: 'string', env: 'KAFKA_SASL_PASSWORD', secret: true, description: 'SASL password for plain and scram-* (or KAFKA_SASL_PASSWORD_FILE).' },
  kafkaSaslOauthbearerToken: {
    type: 'string', env: 'KAFKA_SASL_OAUTHBEARER_TOKEN', secret: true,
    description: 'OAUTHBEARER token (a JWT from your identity provider). With KAFKA_SASL_OAUTHBEARER_TOKEN_FILE the file is read again at every (re)authentication, so a sidecar can rotate it.',
  },
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
  metricsToken: { type: 'string', env: 'LLM_AUDIT_METRICS_TOKEN', secret: true, description: 'Bearer token /metrics requires (or LLM_AUDIT_METRICS_TOKEN_FILE); set it when LLM_AUDIT_HTTP_HOST is not loopback. /healthz stays open.' },
});
export type CoreConfig = ConfigOf<typeof coreConfig.spec>;
