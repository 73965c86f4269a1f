import { defineConfig, type ConfigOf } from '../common/config.js';

export const pipelineConfig = defineConfig('pipeline', {
  groupId: { type: 'string', env: 'LLM_AUDIT_GROUP_ID', default: 'llm-audit-pipeline', description: 'Kafka consumer group of the pipeline; instances in one group split the partitions.' },
  stages: {
    type: 'list',
    env: 'LLM_AUDIT_STAGES',
    default: ['tokenize', 'attribute', 'detect'],
    description: 'Transform stages between decode and the Elasticsearch sink, in order (tokenize, attribute, detect). Tokenize cannot be left out while events carry text.',
  },
  fromBeginning: { type: 'bool', env: 'LLM_AUDIT_FROM_BEGINNING', default: true, description: 'A new consumer group starts at the oldest retained event (true) or only new ones (false).' },
  partitionsConsumedConcurrently: { type: 'int', env: 'LLM_AUDIT_PARTITION_CONCURRENCY', default: 2, min: 1, max: 64, description: 'Partitions processed at the same time by one instance.' },
  maxBytesPerPartition: { type: 'int', env: 'LLM_AUDIT_MAX_BYTES_PER_PARTITION', default: 1_048_576, min: 1024, description: 'Fetch size per partition, which bounds a batch (and memory per partition).' },
  maxRetryDelayMs: { type: 'int', env: 'LLM_AUDIT_MAX_RETRY_DELAY_MS', default: 5_000, min: 10, description: 'Cap of the backoff while Elasticsearch or Kafka is unavailable.' },
  sessionTimeoutMs: { type: 'int', env: 'LLM_AUDIT_SESSION_TIMEOUT_MS', default: 30_000, min: 6_000, description: 'Kafka consumer session timeout.' },
});
export type PipelineConfig = ConfigOf<typeof pipelineConfig.spec>;
