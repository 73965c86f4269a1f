import { Kafka, logLevel, type ITopicConfig, type Admin, type KafkaConfig, type CompressionTypes, type Message, type Producer } from 'kafkajs';
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
  try {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
  } catch (err) {
    // on several brokers, waitForLeaders may ask one that has not yet heard of the new topic; the wait below covers it
    if ((err as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw err;
  }
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

/** Kafka's default partitioner for a key (murmur2, as the Java client and kafkajs' DefaultPartitioner do it). */
export function murmur2Partition(key: string | Buffer, partitions: number): number {
  const data = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ data.length) | 0;
  const len4 = data.length >> 2;
  for (let i = 0; i < len4; i++) {
    const o = i * 4;
    let k = (data[o]! & 0xff) | ((data[o + 1]! & 0xff) << 8) | ((data[o + 2]! & 0xff) << 16) | ((data[o + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rem = data.length & 3;
  const base = len4 * 4;
  if (rem === 3) h ^= (data[base + 2]! & 0xff) << 16;
  if (rem >= 2) h ^= (data[base + 1]! & 0xff) << 8;
  if (rem >= 1) {
    h ^= data[base]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return (h & 0x7fffffff) % partitions;
}

/** Partition counts of topics, read from the brokers and kept for a minute (partitions are only ever added). */
export class TopicPartitions {
  private readonly cache = new Map<string, { n: number; at: number }>();
  private connected?: Promise<void>;
  constructor(private readonly admin: Pick<Admin, 'connect' | 'disconnect' | 'fetchTopicMetadata'>, private readonly ttlMs = 60_000) {}

  async count(topic: string): Promise<number> {
    const hit = this.cache.get(topic);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.n;
    this.connected ??= this.admin.connect();
    await this.connected;
    const md = await this.admin.fetchTopicMetadata({ topics: [topic] });
    const n = md.topics[0]?.partitions.length ?? 0;
    if (n < 1) throw Object.assign(new Error(`topic ${topic} has no partitions in the metadata`), { retriable: true });
    this.cache.set(topic, { n, at: Date.now() });
    return n;
  }

  async close(): Promise<void> {
    if (this.connected) await this.connected.then(() => this.admin.disconnect(), () => undefined);
    this.connected = undefined;
  }
}

export interface PartitionedRecord {
  topicMessages: { topic: string; messages: Message[] }[];
  acks?: number;
  timeout?: number;
  compression?: CompressionTypes;
}

/**
 * Sends one produce call per partition. kafkajs 2.2.4 keeps one response per broker across the retries of a call;
 * when a leader moves (a broker dies) to a broker that already answered for other partitions of the same call, the
 * moved partitions are never re-sent and the call still resolves (tulios/kafkajs#1303, reproduced by
 * test/cluster/failover.cluster.test.ts). A call holding one partition has one leader, so a retry re-sends it whole.
 * Partitions are chosen here with the same murmur2 as the default partitioner, so keys land where they always did.
 */
export async function sendByPartition(producer: Pick<Producer, 'send'>, partitionsOf: (topic: string) => Promise<number>, record: PartitionedRecord): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (const { topic, messages } of record.topicMessages) {
    if (messages.length === 0) continue;
    const n = await partitionsOf(topic);
    const groups = new Map<number, Message[]>();
    messages.forEach((msg, i) => {
      const p = msg.partition ?? (msg.key === null || msg.key === undefined ? i % n : murmur2Partition(msg.key, n));
      let g = groups.get(p);
      if (!g) groups.set(p, (g = []));
      g.push({ ...msg, partition: p });
    });
    for (const msgs of groups.values()) sends.push(producer.send({ topic, messages: msgs, acks: record.acks ?? -1, timeout: record.timeout, compression: record.compression }));
  }
  // every call is awaited before the first failure is thrown, so nothing is still in flight when a caller retries
  const results = await Promise.allSettled(sends);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
