import { Kafka, logLevel, type ITopicConfig, type Admin, type KafkaConfig } from 'kafkajs';
import type { Logger } from './logger.js';

/**
 * All Kafka access goes through this module, so a later move to @confluentinc/kafka-javascript
 * (KafkaJS-shaped API) touches one file.
 */
// Every producer here uses the Java-compatible murmur2 partitioner (kafkajs' v2 default), so its warning is noise.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/**
 * Retriable answers a broker gives while topics, partition leaders and the group coordinator are still forming
 * (a fresh broker loads __consumer_offsets on the first group or transactional request). kafkajs logs each at
 * ERROR and retries; on a normal first start they are noise.
 */
const FORMING = [
  "The coordinator is loading and hence can't process requests", // COORDINATOR_LOAD_IN_PROGRESS
  'The group coordinator is not available', // COORDINATOR_NOT_AVAILABLE
  'This is not the correct coordinator for this group', // NOT_COORDINATOR
  'There is no leader for this topic-partition as we are in the middle of a leadership election', // LEADER_NOT_AVAILABLE
  'This server is not the leader for that topic-partition', // NOT_LEADER_OR_FOLLOWER
  'This server does not host this topic-partition', // UNKNOWN_TOPIC_OR_PARTITION, right after creation
  'The group is rebalancing, so a rejoin is needed', // REBALANCE_IN_PROGRESS
];

/** How long after a client is created those answers are expected: past it they are errors again. */
export const KAFKA_FORMING_GRACE_MS = 60_000;

/**
 * The level a kafkajs log entry is written at: debug for the retriable "still forming" answers during the
 * grace period, kafkajs' own level otherwise; undefined drops it.
 */
export function kafkaLogLevel(level: logLevel, entry: { message?: unknown; error?: unknown }, msSinceStart: number): 'debug' | 'warn' | 'error' | undefined {
  const message = String(entry.message ?? '');
  // kafkajs warns about any idempotent producer with bounded retries; ours are bounded on purpose (a failed
  // send fails the batch, which is retried whole and uncommitted, and alerts are idempotent by id)
  if (message.startsWith('Limiting retries for the idempotent producer')) return undefined;
  if (level > logLevel.WARN) return 'debug';
  // the broker's answer to one request (`error`), or a retried answer logged as is; a consumer crash is never noise
  const answer = typeof entry.error === 'string' ? entry.error : message;
  if (msSinceStart < KAFKA_FORMING_GRACE_MS && FORMING.some((f) => answer.startsWith(f))) return 'debug';
  return level <= logLevel.ERROR ? 'error' : 'warn';
}

export function createKafka(brokers: string[], clientId: string, logger?: Logger, extra: Partial<KafkaConfig> = {}): Kafka {
  const started = Date.now();
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 200, retries: 8 },
    // INFO reaches the logCreator so the forming answers can be kept at debug; kafkaLogLevel picks the level
    logLevel: logger?.isLevelEnabled('debug') ? logLevel.INFO : logLevel.WARN,
    logCreator: () => ({ level, log }) => {
      if (!logger) return;
      const { message, ...rest } = log;
      const to = kafkaLogLevel(level, log, Date.now() - started);
      if (!to) return;
      logger[to]({ kafka: { namespace: log.namespace, broker: rest.broker, error: rest.error } }, `kafkajs: ${message}`);
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
  // KRaft node (kafkajs #815, #1563): wait until the metadata shows a leader for every partition, and the
  // leaders answer for them (on a fresh broker ListOffsets can still say "not the leader" just after that).
  const names = missing.map((t) => t.topic);
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const md = await admin.fetchTopicMetadata({ topics: names });
      if (md.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) {
        for (const t of names) await admin.fetchTopicOffsets(t);
        break;
      }
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
