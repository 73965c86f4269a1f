import { Kafka, logLevel, type ITopicConfig, type Admin, type KafkaConfig } from 'kafkajs';
import type { Logger } from './logger.js';

/**
 * All Kafka access goes through this module, so a later move to @confluentinc/kafka-javascript
 * (KafkaJS-shaped API) touches one file.
 */
// Every producer here uses the Java-compatible murmur2 partitioner (kafkajs' v2 default), so its warning is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export function createKafka(brokers: string[], clientId: string, logger?: Logger, extra: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ level, log }) => {
      if (!logger) return;
      const { message, ...rest } = log;
      // kafkajs warns about any idempotent producer with bounded retries; ours are bounded on purpose (a failed
      // send fails the batch, which is retried whole and uncommitted, and alerts are idempotent by id)
      if (String(message).startsWith('Limiting retries for the idempotent producer')) return;
      const fields = { kafka: { namespace: log.namespace, broker: rest.broker, error: rest.error } };
      if (level <= logLevel.ERROR) logger.error(fields, `kafkajs: ${message}`);
      else logger.warn(fields, `kafkajs: ${message}`);
    },
    ...extra,
  });
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries?: { name: string; value: string }[];
}

/** Creates missing topics with explicit partitions and retention; existing ones are left as they are. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing: ITopicConfig[] = specs.filter((s) => !existing.has(s.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({ topics: missing, waitForLeaders: true });
  // kafkajs can still be told "This server does not host this topic-partition" right after creation on a
  // KRaft node (kafkajs #815, #1563): wait until the metadata shows a leader for every partition.
  const names = missing.map((t) => t.topic);
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const md = await admin.fetchTopicMetadata({ topics: names });
      if (md.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return names;
}

/** The project's own topics (the admin step; the broker's auto-create is off). */
export function projectTopics(c: { usageTopic: string; dlqTopic: string; alertsTopic: string; topicPartitions: number; topicReplication: number }): TopicSpec[] {
  const base = { numPartitions: c.topicPartitions, replicationFactor: c.topicReplication };
  const days = (d: number) => String(d * 24 * 3600 * 1000);
  return [
    { topic: c.usageTopic, ...base, configEntries: [{ name: 'retention.ms', value: days(7) }] },
    { topic: c.dlqTopic, ...base, configEntries: [{ name: 'retention.ms', value: days(30) }] },
    { topic: c.alertsTopic, ...base, configEntries: [{ name: 'retention.ms', value: days(30) }] },
  ];
}
