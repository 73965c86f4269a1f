import { CompressionTypes, Partitioners, type Message, type ProducerRecord, type RecordMetadata } from 'kafkajs';
import { frame, schemaSourceFor, type SchemaSource } from '../common/avro.js';
import { InvalidInputError, LlmAuditError, TransientError, errorMessage } from '../common/errors.js';
import { TopicPartitions, createKafka, sendByPartition } from '../common/kafka.js';
import type { Logger } from '../common/logger.js';
import { metrics as defaultMetrics, type MetricsRegistry, type StageCounters } from '../common/metrics.js';
import { coreConfig, type CoreConfig } from '../common/settings.js';
import type { UsageEvent } from '../common/types.js';
import { usageEncoder } from '../common/usage.js';
import { validateEvent } from '../decode/validate.js';
import { sdkConfig, type SdkConfig } from './config.js';

/** The part of a kafkajs Producer the emitter uses; tests hand in a fake. */
export interface ProducerLike {
  connect(): Promise<void>;
  send(record: ProducerRecord): Promise<RecordMetadata[]>;
  disconnect(): Promise<void>;
}

/** Anything usage events can be handed to: the emitter, or a test double in instrumentation tests. */
export interface UsageSink {
  emit(event: UsageEvent): Promise<void>;
}

export interface UsageEmitterOptions {
  producer: ProducerLike;
  schemaSource: SchemaSource;
  /** Target topic; `config.topic` wins when set. */
  topic: string;
  /** Raw sdk config (parsed and checked by the `sdk` schema; unknown keys are an error). */
  config?: Partial<Record<keyof SdkConfig, unknown>>;
  logger?: Logger;
  metrics?: MetricsRegistry;
  /**
   * Partition count of a topic. Given, each batch is sent one produce call per partition, which survives a leader
   * moving mid-send (see sendByPartition); createUsageEmitter always gives it.
   */
  partitionsOf?: (topic: string) => Promise<number>;
  /** Called once per batch that could not be delivered; flush() also reports it. */
  onError?: (err: LlmAuditError, events: number) => void;
}

interface Pending {
  key: string;
  value: Buffer;
  size: number;
}

interface Waiter {
  msg: Pending;
  resolve: () => void;
}

/**
 * Validates, Avro-encodes (Confluent framing), batches and sends usage events keyed by api_key_id,
 * so one key's events stay ordered on one partition. One batch is in flight at a time and the
 * producer is idempotent, so retries neither reorder nor duplicate. Memory is bounded: when the
 * buffer is full, emit() waits for room.
 */
export class UsageEmitter implements UsageSink {
  readonly counters: StageCounters;
  readonly topic: string;
  private readonly cfg: SdkConfig;
  private readonly encoder;
  private readonly metrics: MetricsRegistry;
  private schemaId?: number;
  private queue: Pending[] = [];
  private inflight: Pending[] = [];
  private bytes = 0;
  private readonly waiters: Waiter[] = [];
  private readonly idle: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private lingerDue = false;
  private draining = 0;
  private sending = false;
  private started?: Promise<void>;
  private closed?: Promise<void>;
  private failed = 0;
  private lastError?: LlmAuditError;

  constructor(private readonly opts: UsageEmitterOptions) {
    this.cfg = sdkConfig.parse(opts.config ?? {});
    this.topic = this.cfg.topic ?? opts.topic;
    this.encoder = usageEncoder(opts.schemaSource);
    this.metrics = opts.metrics ?? defaultMetrics;
    this.counters = this.metrics.stage('sdk');
  }

  get config(): Readonly<SdkConfig> {
    return this.cfg;
  }

  /** Events held in memory: queued, in flight and waiting for room. */
  get buffered(): number {
    return this.queue.length + this.inflight.length + this.waiters.length;
  }

  /** Connects the producer and resolves the schema id; emit() does it on first use too. */
  start(): Promise<void> {
    this.started ??= (async () => {
      this.schemaId = await this.encoder.schemaId();
      try {
        await this.opts.producer.connect();
      } catch (err) {
        this.started = undefined;
        throw new TransientError(`usage emitter cannot connect to Kafka: ${errorMessage(err)}`, err);
      }
    })();
    return this.started;
  }

  /**
   * Throws InvalidInputError naming the field, synchronously, for an event that breaks the
   * usage-event contract; such an event is never sent. Otherwise resolves once the event is
   * buffered (not yet delivered: flush() waits for delivery).
   */
  emit(input: UsageEvent | Record<string, unknown>): Promise<void> {
    if (this.closed) throw new LlmAuditError('usage emitter is closed: emit() after close() would lose the event');
    this.counters.received++;
    let event: UsageEvent;
    let payload: Buffer;
    try {
      event = validateEvent({ ...input });
      payload = this.encodePayload(event);
    } catch (err) {
      this.counters.dropped++;
      throw err;
    }
    if (this.schemaId === undefined) return this.start().then(() => this.admit(event.api_key_id, payload));
    return this.admit(event.api_key_id, payload);
  }

  private encodePayload(event: UsageEvent): Buffer {
    const paths: string[] = [];
    const type = this.encoder.type;
    if (!type.isValid(event, { errorHook: (p) => paths.push(p.join('.') || '(root)') })) {
      throw new InvalidInputError('invalid_event', `field ${[...new Set(paths)].join(', ')} does not match the usage-event schema`);
    }
    return type.toBuffer(event);
  }

  private admit(key: string, payload: Buffer): Promise<void> {
    const value = frame(this.schemaId!, payload);
    const msg: Pending = { key, value, size: value.length + Buffer.byteLength(key) };
    if (this.waiters.length === 0 && this.hasRoom(msg.size)) {
      this.push(msg);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiters.push({ msg, resolve });
      void this.pump();
    });
  }

  private hasRoom(size: number): boolean {
    const events = this.queue.length + this.inflight.length;
    // an event larger than the whole byte budget still goes through, alone, rather than deadlock
    if (events === 0) return true;
    return events + 1 <= this.cfg.maxBufferedEvents && this.bytes + size <= this.cfg.maxBufferedBytes;
  }

  private push(msg: Pending): void {
    this.queue.push(msg);
    this.bytes += msg.size;
    if (this.queue.length >= this.cfg.batchSize || this.draining > 0) void this.pump();
    else this.arm();
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lingerDue = true;
      void this.pump();
    }, this.cfg.lingerMs);
  }

  private admitWaiters(): void {
    while (this.waiters.length && this.hasRoom(this.waiters[0]!.msg.size)) {
      const w = this.waiters.shift()!;
      this.queue.push(w.msg);
      this.bytes += w.msg.size;
      w.resolve();
    }
  }

  private ready(): boolean {
    return this.queue.length > 0 && (this.lingerDue || this.draining > 0 || this.queue.length >= this.cfg.batchSize || this.waiters.length > 0);
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.ready()) {
        const batch = this.queue.splice(0, this.cfg.batchSize);
        this.inflight = batch;
        await this.send(batch);
        this.inflight = [];
        for (const m of batch) this.bytes -= m.size;
        this.admitWaiters();
      }
    } finally {
      this.sending = false;
      this.lingerDue = false;
    }
    this.metrics.set('llm_audit_sdk_buffered_events', 'Usage events held by the SDK emitter.', { topic: this.topic }, this.buffered);
    if (this.queue.length > 0) this.arm();
    if (this.buffered === 0) for (const done of this.idle.splice(0)) done();
  }

  private async send(batch: Pending[]): Promise<void> {
    const messages: Message[] = batch.map((m) => ({ key: m.key, value: m.value }));
    try {
      const compression = this.cfg.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
      if (this.opts.partitionsOf) await sendByPartition(this.opts.producer, this.opts.partitionsOf, { topicMessages: [{ topic: this.topic, messages }], acks: -1, timeout: this.cfg.ackTimeoutMs, compression });
      else await this.opts.producer.send({ topic: this.topic, messages, acks: -1, timeout: this.cfg.ackTimeoutMs, compression });
      this.counters.sent += batch.length;
    } catch (err) {
      // kafkajs has already retried with backoff (sendRetries); what reaches here is final for this batch
      const retriable = (err as { retriable?: boolean }).retriable === true || /Retries|Connection|Timeout|BrokerNotFound/.test((err as Error).name ?? '');
      const e = new LlmAuditError(`${batch.length} usage event(s) could not be delivered to ${this.topic}: ${errorMessage(err)}`, { retriable, cause: err });
      this.counters.errored += batch.length;
      this.failed += batch.length;
      this.lastError = e;
      this.opts.logger?.error({ topic: this.topic, events: batch.length, err: { name: (err as Error).name, message: errorMessage(err) } }, 'usage events undeliverable');
      this.opts.onError?.(e, batch.length);
    }
  }

  /**
   * Sends everything buffered so far and waits for the broker's acknowledgement. Rejects when
   * events buffered since the previous flush could not be delivered (their count is in the message).
   */
  async flush(): Promise<void> {
    this.draining++;
    try {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (this.buffered > 0) {
        const done = new Promise<void>((resolve) => this.idle.push(resolve));
        void this.pump();
        await done;
      }
    } finally {
      this.draining--;
    }
    if (this.failed > 0) {
      const n = this.failed;
      const cause = this.lastError;
      this.failed = 0;
      this.lastError = undefined;
      throw new LlmAuditError(`${n} usage event(s) could not be delivered to ${this.topic}`, { retriable: cause?.retriable ?? false, cause });
    }
  }

  /** Flushes, then disconnects. Safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      try {
        if (this.started) await this.flush();
      } finally {
        if (this.started) await this.opts.producer.disconnect();
      }
    })();
    return this.closed;
  }
}

/** An emitter on the real Kafka from environment config (core: brokers, registry, topic; sdk: batching). */
export async function createUsageEmitter(
  opts: {
    env?: NodeJS.ProcessEnv;
    core?: CoreConfig;
    config?: Partial<Record<keyof SdkConfig, unknown>>;
    /** Wins over LLM_AUDIT_SDK_TOPIC and LLM_AUDIT_USAGE_TOPIC. */
    topic?: string;
    logger?: Logger;
    metrics?: MetricsRegistry;
    onError?: (err: LlmAuditError, events: number) => void;
  } = {},
): Promise<UsageEmitter> {
  const env = opts.env ?? process.env;
  const core = opts.core ?? coreConfig.fromEnv(env);
  const cfg = sdkConfig.fromEnv(env, opts.config);
  // kafkajs warns that bounded retries weaken exactly-once; the emitter never re-sends a batch kafkajs gave up on
  // (it reports it instead), so the warning would only mislead operators
  const parent = opts.logger;
  const kafkaLogger = parent
    ? (Object.assign(Object.create(parent) as Logger, {
        warn: (obj: object, msg?: string) => {
          if (!msg?.includes('Limiting retries for the idempotent producer')) parent.warn(obj, msg);
        },
      }) as Logger)
    : undefined;
  const kafka = createKafka(core.kafkaBrokers, cfg.clientId, kafkaLogger);
  const partitions = new TopicPartitions(kafka.admin());
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    // murmur2 like the Java client: a key lands on the same partition whichever client produced it
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: cfg.sendRetries },
  });
  const rawConfig: Record<string, unknown> = Object.fromEntries(Object.entries(cfg).filter(([, v]) => v !== undefined));
  if (opts.topic) rawConfig.topic = opts.topic;
  const emitter = new UsageEmitter({
    producer: { connect: () => producer.connect(), send: (r) => producer.send(r), disconnect: () => Promise.all([producer.disconnect(), partitions.close()]).then(() => undefined) },
    partitionsOf: (t) => partitions.count(t),
    schemaSource: schemaSourceFor(core.schemaRegistryUrl),
    topic: core.usageTopic,
    config: rawConfig,
    logger: opts.logger,
    metrics: opts.metrics,
    onError: opts.onError,
  });
  await emitter.start();
  return emitter;
}
