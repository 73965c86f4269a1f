import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import { FramedDecoder, FramedEncoder, loadSchemaFile, type SchemaSource } from '../common/avro.js';
import { errorMessage, InvalidInputError, TransientError } from '../common/errors.js';
import { ensureTopics } from '../common/kafka.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { IdentityDirectory } from './directory.js';
import { validateIdentity, type Identity } from './identity.js';

export const IDENTITY_SUBJECT = 'llm.identities.v1-value';
export const identityType = () => loadSchemaFile('identity.v1.avsc');

/** The compacted topic: the latest value per api_key_id is the directory entry; a null value deletes it. */
export async function ensureIdentityTopic(admin: Admin, topic: string, replicationFactor = 1): Promise<boolean> {
  const created = await ensureTopics(admin, [
    { topic, numPartitions: 1, replicationFactor, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'min.compaction.lag.ms', value: '0' }] },
  ]);
  return created.length > 0;
}

/**
 * Values are Avro with Confluent framing (schemas/identity.v1.avsc, subject llm.identities.v1-value).
 * A JSON object is accepted too, so an operator can revoke a key with kafka-console-producer in an incident.
 */
export class IdentityCodec {
  private readonly decoder: FramedDecoder<Record<string, unknown>>;
  private readonly encoder: FramedEncoder<Identity>;
  constructor(source: SchemaSource, private readonly defaultRotationDays = 90) {
    const t = identityType();
    this.decoder = new FramedDecoder(source, t);
    this.encoder = new FramedEncoder(source, IDENTITY_SUBJECT, t);
  }

  async decode(key: string, value: Buffer): Promise<Identity> {
    const where = `${IDENTITY_SUBJECT} key ${key}`;
    const raw = value[0] === 0x7b ? (JSON.parse(value.toString('utf8')) as unknown) : await this.decoder.decode(value);
    const ident = validateIdentity(raw, where, this.defaultRotationDays);
    if (ident.api_key_id !== key) throw new InvalidInputError('invalid_identity', `${where}: value names api_key_id ${ident.api_key_id}; the message key must be the api_key_id`);
    return ident;
  }

  encode(identity: Identity): Promise<Buffer> {
    return this.encoder.encode(identity);
  }
}

export async function publishIdentity(producer: Producer, topic: string, codec: IdentityCodec, identity: Identity): Promise<void> {
  await producer.send({ topic, messages: [{ key: identity.api_key_id, value: await codec.encode(identity) }] });
}

export async function deleteIdentity(producer: Producer, topic: string, keyId: string): Promise<void> {
  await producer.send({ topic, messages: [{ key: keyId, value: null }] });
}

export interface TopicSourceOptions {
  kafka: Kafka;
  topic: string;
  clientId: string;
  codec: IdentityCodec;
  logger: Logger;
  metrics?: MetricsRegistry;
  /** How long start() waits to catch up with the topic before giving up. */
  catchUpTimeoutMs: number;
}

/**
 * Every instance reads the whole topic (it is a table, not a queue): a group of its own, from the
 * beginning, no offsets committed. start() returns once the directory has caught up with the end
 * of the topic as it was at start, so the first batch is attributed with the full directory.
 */
export class IdentityTopicSource {
  private consumer?: Consumer;
  private readonly consumed = new Map<number, bigint>();
  upserts = 0;
  deletes = 0;
  rejected = 0;

  constructor(private readonly dir: IdentityDirectory, private readonly o: TopicSourceOptions) {}

  async start(): Promise<void> {
    const admin = this.o.kafka.admin();
    await admin.connect();
    let ends: { partition: number; high: string; low: string }[];
    try {
      ends = await admin.fetchTopicOffsets(this.o.topic);
    } catch (err) {
      throw new TransientError(`identity topic ${this.o.topic} cannot be read: ${errorMessage(err)} (create it with \`llm-audit jobs\`'s admin step or ensureIdentityTopic)`, err);
    } finally {
      await admin.disconnect();
    }
    this.consumer = this.o.kafka.consumer({ groupId: `${this.o.clientId}-identities-${randomUUID()}`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 500 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.o.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        await this.apply(message.key?.toString('utf8') ?? '', message.value);
        this.consumed.set(partition, BigInt(message.offset) + 1n);
      },
    });
    this.dir.configured = true;
    const deadline = Date.now() + this.o.catchUpTimeoutMs;
    const behind = () => ends.filter((e) => BigInt(e.high) > BigInt(e.low) && (this.consumed.get(e.partition) ?? 0n) < BigInt(e.high));
    while (behind().length) {
      if (Date.now() > deadline) throw new TransientError(`identity topic ${this.o.topic}: not caught up after ${this.o.catchUpTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    this.o.logger.info({ topic: this.o.topic, keys: this.upserts - this.deletes, rejected: this.rejected }, 'identity topic caught up');
  }

  async apply(key: string, value: Buffer | null): Promise<void> {
    if (!key) {
      this.rejected++;
      this.o.logger.error({ topic: this.o.topic }, 'identity message without a key rejected (key must be the api_key_id)');
      return;
    }
    if (value === null) {
      this.deletes++;
      this.dir.delete(key);
      return;
    }
    try {
      this.dir.upsert(await this.o.codec.decode(key, value));
      this.upserts++;
    } catch (err) {
      this.rejected++;
      this.o.metrics?.inc('llm_audit_identity_rejected_total', 'Identity topic entries rejected; the previous entry for the key stays in force.');
      this.o.logger.error({ topic: this.o.topic, api_key_id: key, err: errorMessage(err) }, 'identity entry rejected; previous entry stays');
    }
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
