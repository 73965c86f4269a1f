import { pipelineConfig, type PipelineConfig } from '../services/pipeline/config.js';

/**
 * The pipeline's fetch and concurrency settings as `llm-audit run` reads them from the environment
 * (LLM_AUDIT_PARTITION_CONCURRENCY, LLM_AUDIT_MAX_BYTES_PER_PARTITION, LLM_AUDIT_FETCH_*, LLM_AUDIT_BULK_MAX_EVENTS), for the benches'
 * in-process pipelines, so one setting can be compared with another run against run.
 */
export function pipelineTuning(env: NodeJS.ProcessEnv = process.env): Pick<PipelineConfig, 'partitionsConsumedConcurrently' | 'maxBytesPerPartition' | 'fetchMaxBytes' | 'fetchMinBytes' | 'fetchMaxWaitMs' | 'bulkMaxEvents'> {
  const c = pipelineConfig.fromEnv(env);
  return {
    partitionsConsumedConcurrently: c.partitionsConsumedConcurrently,
    maxBytesPerPartition: c.maxBytesPerPartition,
    fetchMaxBytes: c.fetchMaxBytes,
    fetchMinBytes: c.fetchMinBytes,
    fetchMaxWaitMs: c.fetchMaxWaitMs,
    bulkMaxEvents: c.bulkMaxEvents,
  };
}
