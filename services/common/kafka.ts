import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type ITopicConfig, type Admin, type KafkaConfig, type SASLOptions, type CompressionTypes, type Message, type Producer } from 'kafkajs';
import { ConfigError, errorMessage } from './errors.js';
import type { Logger } from './logger.js';
import { coreConfig, type CoreConfig } from './settings.js';

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

export type KafkaSecurity = Pick<CoreConfig, 'kafkaSsl' | 'kafkaSslCaFile' | 'kafkaSslCertFile' | 'kafkaSslKeyFile' | 'kafkaSslVerify' | 'kafkaSaslMechanism' | 'kafkaSaslUsername' | 'kafkaSaslPassword' | 'kafkaSaslOauthbearerToken'>;
export type KafkaTarget = string[] | (Pick<CoreConfig, 'kafkaBrokers'> & Partial<KafkaSecurity>);

function readPem(file: string, setting: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`${setting}=${file} cannot be read: ${errorMessage(err)}`, err);
  }
}

/** kafkajs ssl/sasl options from the settings; a missing credential is a ConfigError naming the variable. */
export function kafkaSecurityOptions(sec: Partial<KafkaSecurity>, env: NodeJS.ProcessEnv = process.env): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (sec.kafkaSsl) {
    const tls: ConnectionOptions = { rejectUnauthorized: sec.kafkaSslVerify ?? true };
    if (sec.kafkaSslCaFile) tls.ca = [readPem(sec.kafkaSslCaFile, 'KAFKA_SSL_CA_FILE')];
    if (sec.kafkaSslCertFile || sec.kafkaSslKeyFile) {
      if (!sec.kafkaSslCertFile || !sec.kafkaSslKeyFile) throw new ConfigError('mutual TLS needs both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE');
      tls.cert = readPem(sec.kafkaSslCertFile, 'KAFKA_SSL_CERT_FILE');
      tls.key = readPem(sec.kafkaSslKeyFile, 'KAFKA_SSL_KEY_FILE');
    }
    out.ssl = tls;
  }
  const mech = sec.kafkaSaslMechanism ?? 'none';
  if (mech === 'plain' || mech === 'scram-sha-256' || mech === 'scram-sha-512') {
    if (!sec.kafkaSaslUsername || !sec.kafkaSaslPassword) throw new ConfigError(`KAFKA_SASL_MECHANISM=${mech} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`);
    out.sasl = { mechanism: mech, username: sec.kafkaSaslUsername, password: sec.kafkaSaslPassword } as SASLOptions;
  } else if (mech === 'oauthbearer') {
    const file = env.KAFKA_SASL_OAUTHBEARER_TOKEN_FILE;
    if (!sec.kafkaSaslOauthbearerToken && !file) throw new ConfigError('KAFKA_SASL_MECHANISM=oauthbearer needs KAFKA_SASL_OAUTHBEARER_TOKEN (or KAFKA_SASL_OAUTHBEARER_TOKEN_FILE)');
    const fixed = sec.kafkaSaslOauthbearerToken;
    out.sasl = {
      mechanism: 'oauthbearer',
      // kafkajs calls this at every (re)authentication: a rotated token file is picked up without a restart
      oauthBearerProvider: async () => ({ value: file ? readPem(file, 'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE').toString('utf8').trim() : fixed! }),
    };
  }
  return out;
}

const CERT_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|HOSTNAME|ERR_SSL|EPROTO/;

/**
 * One TLS handshake with the first broker before kafkajs connects: kafkajs retries a failed
 * handshake like a network blip, for a minute; an untrusted certificate never gets better, so it
 * fails at once with the setting to fix. Other errors (refused, timeout) are left to kafkajs.
 */
async function tlsPreflight(brokers: string[], tls: ConnectionOptions): Promise<void> {
  const b = brokers[0];
  if (!b) return;
  const i = b.lastIndexOf(':');
  const host = b.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(b.slice(i + 1));
  await new Promise<void>((resolve, reject) => {
    const sock = tlsConnect({ ...tls, host, port, servername: isIP(host) ? undefined : host, timeout: 5_000 });
    const done = (err?: Error & { code?: string }) => {
      sock.destroy();
      if (err && CERT_ERRORS.test(`${err.code ?? ''} ${err.message}`)) {
        reject(new ConfigError(`Kafka broker ${b} failed the TLS check (${err.code ?? err.message}: ${err.message}): set KAFKA_SSL_CA_FILE to the CA that signed its certificate, or check that the broker address matches the certificate`, err));
      } else resolve();
    };
    sock.once('secureConnect', () => done());
    sock.once('error', done);
    sock.once('timeout', () => done());
  });
}

function explain(err: unknown, sec: Partial<KafkaSecurity>): unknown {
  let e = err as { name?: string; message?: string; originalError?: unknown; cause?: unknown } | undefined;
  for (let i = 0; e && i < 5; i++) {
    if (e.name === 'KafkaJSSASLAuthenticationError' || /SASL .*authentication failed/i.test(e.message ?? '')) {
      const who = sec.kafkaSaslMechanism === 'oauthbearer' ? 'check KAFKA_SASL_OAUTHBEARER_TOKEN' : `user ${sec.kafkaSaslUsername ?? '(none)'}: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`;
      return new ConfigError(`Kafka refused SASL ${sec.kafkaSaslMechanism ?? ''} authentication (${who}): ${e.message}`, err);
    }
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return err;
}

type Connectable = { connect(): Promise<void> };
function guardConnect<T extends Connectable>(client: T, preflight: () => Promise<void>, sec: Partial<KafkaSecurity>): T {
  const connect = client.connect.bind(client);
  client.connect = async () => {
    await preflight();
    try {
      await connect();
    } catch (err) {
      throw explain(err, sec);
    }
  };
  return client;
}

/**
 * A kafkajs client. Security (TLS, SASL) comes from `target` when it is the core config, else from
 * the process environment, so every client of a service configured by environment is secured alike.
 */
export function createKafka(target: KafkaTarget, clientId: string, logger?: Logger, extra: Partial<KafkaConfig> = {}): Kafka {
  const brokers = Array.isArray(target) ? target : target.kafkaBrokers;
  const started = Date.now();
  const sec: Partial<KafkaSecurity> = Array.isArray(target) ? coreConfig.fromEnv(process.env) : target;
  const security = kafkaSecurityOptions(sec);
  let checked: Promise<void> | undefined;
  const preflight = () => (security.ssl && typeof security.ssl === 'object' ? (checked ??= tlsPreflight(brokers, security.ssl).catch((err) => {
    checked = undefined;
    throw err;
  })) : Promise.resolve());
  const kafka = new Kafka({
    clientId,
    brokers,
    ...security,
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
  const producer = kafka.producer.bind(kafka);
  const consumer = kafka.consumer.bind(kafka);
  const admin = kafka.admin.bind(kafka);
  kafka.producer = (cfg) => guardConnect(producer(cfg), preflight, sec);
  kafka.consumer = (cfg) => guardConnect(consumer(cfg), preflight, sec);
  kafka.admin = (cfg) => guardConnect(admin(cfg), preflight, sec);
  return kafka;
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
