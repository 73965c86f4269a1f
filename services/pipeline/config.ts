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
  partitionsConsumedConcurrently: {
    type: 'int', env: 'LLM_AUDIT_PARTITION_CONCURRENCY', default: 6, min: 1, max: 64,
    description: 'Partitions processed at the same time by one instance (kafkajs fetches again only when every batch of a fetch is done, so below the partitions an instance holds their Elasticsearch and Kafka waits queue one behind the other).',
  },
  maxBytesPerPartition: { type: 'int', env: 'LLM_AUDIT_MAX_BYTES_PER_PARTITION', default: 1_048_576, min: 1024, description: 'Fetch size per partition, which bounds a batch (and memory per partition).' },
  fetchMaxBytes: { type: 'int', env: 'LLM_AUDIT_FETCH_MAX_BYTES', default: 10_485_760, min: 1024, description: 'Most bytes one fetch from a broker returns, over all its partitions (kafkajs maxBytes).' },
  fetchMinBytes: {
    type: 'int', env: 'LLM_AUDIT_FETCH_MIN_BYTES', default: 1, min: 1,
    description: 'Bytes a broker waits for before it answers a fetch (kafkajs minBytes); above 1 it gathers bigger batches at the cost of latency, up to fetchMaxWaitMs.',
  },
  fetchMaxWaitMs: { type: 'int', env: 'LLM_AUDIT_FETCH_MAX_WAIT_MS', default: 5_000, min: 0, max: 60_000, description: 'How long a broker holds a fetch while it has less than fetchMinBytes (kafkajs maxWaitTimeInMs).' },
  bulkMaxEvents: {
    type: 'int', env: 'LLM_AUDIT_BULK_MAX_EVENTS', default: 1_000, min: 1,
    description: 'Events per Elasticsearch bulk request: a fetched batch is written in bulks of this many, one partition\'s bulks in order, each next one decoded and staged while the one before it is in flight; offsets are committed when all of the batch is written.',
  },
  maxRetryDelayMs: { type: 'int', env: 'LLM_AUDIT_MAX_RETRY_DELAY_MS', default: 5_000, min: 10, description: 'Cap of the backoff while Elasticsearch or Kafka is unavailable.' },
  sessionTimeoutMs: { type: 'int', env: 'LLM_AUDIT_SESSION_TIMEOUT_MS', default: 30_000, min: 6_000, description: 'Kafka consumer session timeout.' },
});
export type PipelineConfig = ConfigOf<typeof pipelineConfig.spec>;
