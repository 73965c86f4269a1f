import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { Kafka, Producer } from 'kafkajs';
import { pino } from 'pino';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics, projectTopics } from '../services/common/kafka.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { CoreConfig } from '../services/common/settings.js';
import type { Transform } from '../services/common/stage.js';
import type { UsageEvent } from '../services/common/types.js';
import { usageEncoder } from '../services/common/usage.js';
import { pipelineConfig, type PipelineConfig } from '../services/pipeline/config.js';
import { Pipeline, type PipelineDeps } from '../services/pipeline/pipeline.js';
import { deletePrefix, testCore, testEs, testKafka, uniqueName } from './helpers.js';

/** Keys for the tokenize stage in tests only: generated per run, never a real key. */
export const TEST_TOKENIZE_ENV = {
  LLM_AUDIT_TOKENIZE_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  // the scheduled jobs work on the default indices; tests that want them start them on their own
  LLM_AUDIT_JOBS_ENABLED: 'false',
};

/** A pipeline on its own topics, group and index prefix, against the real local Kafka and Elasticsearch. */
export class TestStack {
  readonly core: CoreConfig;
  readonly kafka: Kafka;
  readonly es: Client;
  readonly metrics = new MetricsRegistry();
  readonly logLines: string[] = [];
  producer?: Producer;
  pipelines: Pipeline[] = [];

  constructor(name: string, overrides: Partial<Record<keyof CoreConfig, unknown>> = {}) {
    const id = uniqueName(name);
    this.core = testCore({
      usageTopic: `${id}.usage`,
      dlqTopic: `${id}.dlq`,
      alertsTopic: `${id}.alerts`,
      indexPrefix: `t-${id}`,
      topicPartitions: 3,
      ...overrides,
    });
    this.kafka = testKafka(this.core);
    this.es = testEs(this.core);
  }

  /** The environment of an `llm-audit run` process on this stack's topics and indices. */
  serviceEnv(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...TEST_TOKENIZE_ENV,
      KAFKA_BROKERS: this.core.kafkaBrokers.join(','),
      ELASTICSEARCH_URL: this.core.elasticsearchUrl,
      LLM_AUDIT_USAGE_TOPIC: this.core.usageTopic,
      LLM_AUDIT_DLQ_TOPIC: this.core.dlqTopic,
      LLM_AUDIT_ALERTS_TOPIC: this.core.alertsTopic,
      LLM_AUDIT_INDEX_PREFIX: this.core.indexPrefix,
      LLM_AUDIT_TOPIC_PARTITIONS: String(this.core.topicPartitions),
      LLM_AUDIT_IDENTITY_TOPIC_ENABLED: 'false',
      LOG_LEVEL: 'info',
    };
  }

  /** A logger that keeps every line, so tests can assert what reached the logs. */
  logger() {
    const lines = this.logLines;
    return pino({ level: 'info', redact: { paths: [], censor: '' } }, { write: (s: string) => void lines.push(s) });
  }

  async startPipeline(opts: { config?: Partial<PipelineConfig>; transforms?: Transform[]; env?: NodeJS.ProcessEnv; es?: Client; logger?: ReturnType<TestStack['logger']>; onTrace?: PipelineDeps['onTrace'] } = {}): Promise<Pipeline> {
    const config = pipelineConfig.parse({ groupId: `${this.core.usageTopic}.group`, stages: [], maxRetryDelayMs: 500, ...opts.config });
    const p = new Pipeline({
      core: this.core,
      config,
      env: { ...process.env, ...TEST_TOKENIZE_ENV, ...opts.env },
      es: opts.es ?? this.es,
      logger: opts.logger ?? pino({ level: 'silent' }),
      metrics: this.metrics,
      kafka: this.kafka,
      transforms: opts.transforms,
      onTrace: opts.onTrace,
    });
    await p.start();
    this.pipelines.push(p);
    return p;
  }

  async produceEvents(events: UsageEvent[]): Promise<void> {
    const enc = usageEncoder(new LocalSchemaSource());
    const messages = await Promise.all(events.map(async (e) => ({ key: e.api_key_id, value: await enc.encode(e) })));
    await this.produceRaw(messages);
  }

  async produceRaw(messages: { key: string | null; value: Buffer | null }[]): Promise<void> {
    if (!this.producer) {
      const admin = this.kafka.admin();
      await admin.connect();
      await ensureTopics(admin, projectTopics(this.core)).finally(() => admin.disconnect());
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    for (let i = 0; i < messages.length; i += 2000) {
      await this.producer.send({ topic: this.core.usageTopic, acks: -1, messages: messages.slice(i, i + 2000) });
    }
  }

  async countDocs(kind: 'events' | 'alerts', query?: object): Promise<number> {
    await this.es.indices.refresh({ index: `${this.core.indexPrefix}-${kind}-*`, allow_no_indices: true });
    const res = await this.es.count({ index: `${this.core.indexPrefix}-${kind}-*`, allow_no_indices: true, ...(query ? { query } : {}) });
    return res.count;
  }

  /** Reads a whole topic from the start (a fresh group), until `expected` messages arrived or the timeout. */
  async readTopic(topic: string, expected: number, timeoutMs = 30_000) {
    const consumer = this.kafka.consumer({ groupId: uniqueName('reader') });
    const out: { key: string | null; value: Buffer | null; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = String(v);
          out.push({ key: message.key?.toString() ?? null, value: message.value, headers });
          if (out.length >= expected) {
            clearTimeout(t);
            resolve();
          }
        },
      });
    });
    await done;
    await consumer.disconnect();
    return out;
  }

  async close(): Promise<void> {
    for (const p of this.pipelines) await p.stop().catch(() => undefined);
    await this.producer?.disconnect();
    const prefix = this.core.indexPrefix;
    await deletePrefix(this.es, prefix);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [this.core.usageTopic, this.core.dlqTopic, this.core.alertsTopic] }).catch(() => undefined);
    await admin.disconnect();
    await this.es.close();
  }
}

let seq = 0;
/** A valid usage event; override any field. */
export function makeEvent(over: Partial<UsageEvent> = {}): UsageEvent {
  seq++;
  const hex = (n: number, len: number) => n.toString(16).padStart(len, '0').slice(-len);
  return {
    event_id: randomUUID(),
    occurred_at: Date.UTC(2026, 10, 27, 10, 0, 0) + seq * 1000,
    gateway_id: 'gw-test-1',
    environment: 'prod',
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    model_version: 'gpt-4o-mini-2024-07-18',
    api_key_id: `key_${hex(seq % 7, 12)}`,
    principal_id: 'user-0001',
    source_ip: '81.2.69.160',
    user_agent: 'openai-node/4.71.1',
    status_code: 200,
    error_code: null,
    input_tokens: 120,
    output_tokens: 80,
    latency_ms: 420,
    request_id: `req_${hex(seq, 16)}`,
    prompt: null,
    completion: null,
    ...over,
  };
}
