import type { Client } from '@elastic/elasticsearch';
import type { Consumer, EachBatchPayload, IHeaders, Kafka, Producer } from 'kafkajs';
import { alertEncoder, toAvro } from '../common/alert.js';
import { schemaSourceFor } from '../common/avro.js';
import { errorMessage, LlmAuditError } from '../common/errors.js';
import { TopicPartitions, createKafka, ensureTopics, projectTopics, sendByPartition } from '../common/kafka.js';
import type { Logger } from '../common/logger.js';
import { producerLabel, type MetricsRegistry, type StageCounters } from '../common/metrics.js';
import type { CoreConfig } from '../common/settings.js';
import type { BatchContext, Transform } from '../common/stage.js';
import { retry } from '../common/retry.js';
import type { Alert, AuditRecord } from '../common/types.js';
import { usageDecoder } from '../common/usage.js';
import { installAssets } from '../setup/assets.js';
import { setupConfig } from '../setup/config.js';
import { ElasticsearchSink, type ItemFailure } from '../index/sink.js';
import { bulkItems, decodeMessages, latestAlerts, type DecodeFailure } from './chain.js';
import type { PipelineConfig } from './config.js';
import { createStages } from './stages.js';
import { loadTokenizeSettings } from '../tokenize/config.js';
import { deadLetterPayload, deadLetterText, type DeadLetterPayload } from '../tokenize/dlq.js';
import { jobsConfig } from '../jobs/config.js';
import { JobRunner, JobScheduler } from '../jobs/scheduler.js';

export interface PipelineDeps {
  core: CoreConfig;
  config: PipelineConfig;
  env: NodeJS.ProcessEnv;
  es: Client;
  logger: Logger;
  metrics: MetricsRegistry;
  kafka?: Kafka;
  /** Pre-built stages (tests); otherwise built from config.stages. */
  transforms?: Transform[];
  /** Benchmarks: when each fetch and each batch's phases ran (performance.now()), to see where latency goes. */
  onTrace?: (t: PipelineTrace) => void;
}

/** One fetch, or one batch: started, first chunk staged, all written (bulk and alerts), dead letters and checkpoints, committed. */
export type PipelineTrace =
  | { kind: 'fetch'; start: number; end: number }
  | { kind: 'alerts'; partition: number; ids: string[]; start: number; acked: number }
  | { kind: 'batch'; partition: number; events: number; firstOffset: string; start: number; staged: number; written: number; checkpointed: number; committed: number };

interface DeadLetter {
  key: Buffer | null;
  value: Buffer | null;
  /** The Avro-decoded message when it decoded: written tokenized field by field, never as raw bytes. */
  decoded?: unknown;
  offset: string;
  reason: string;
  message: string;
  stage: string;
}

type Sanitize = ((bytes: Buffer | null, decoded: unknown) => DeadLetterPayload) & { text?: (s: string) => string };

/**
 * Dead letters must never carry raw text: with tokenization keys configured, a payload is encrypted under the
 * reveal key (recoverable by compliance) or else tokenized. Without keys (and so without the tokenize stage,
 * which refuses to start without one) the original bytes are kept.
 */
function deadLetterSanitizer(env: NodeJS.ProcessEnv, tokenizeStage: boolean): Sanitize | undefined {
  if (!tokenizeStage && !env.LLM_AUDIT_TOKENIZE_KEYS && !env.LLM_AUDIT_TOKENIZE_KEYS_FILE) return undefined;
  const tk = loadTokenizeSettings(env);
  // envelope-only mode has no symmetric reveal key: dead letters are then tokenized (lossy but safe)
  const opts = { keyring: tk.keyring, revealRing: tk.revealRing?.keys.size ? tk.revealRing : undefined, maxFieldBytes: tk.config.maxFieldBytes };
  const sanitize: Sanitize = (bytes, decoded) => deadLetterPayload(bytes, decoded, opts);
  // an error message can quote the payload (a decoder's complaint about a value): it is scanned too
  sanitize.text = (s) => deadLetterText(s, opts);
  return sanitize;
}

export class Pipeline {
  readonly decodeCounters: StageCounters;
  readonly indexCounters: StageCounters;
  private consumer?: Consumer;
  private producer?: Producer;
  private partitions?: TopicPartitions;
  private transforms: Transform[] = [];
  private readonly sink: ElasticsearchSink;
  private readonly decoder;
  private readonly alerts;
  private readonly abort = new AbortController();
  private running = false;
  private lastBatchAt = 0;
  private connected = false;
  private scheduler?: JobScheduler;
  private assigned = new Set<number>();
  /** Partitions whose commit is held (a stage's state not saved at the batch's end): the offset committed last. */
  private readonly heldAt = new Map<number, string>();
  private sanitize?: Sanitize;

  constructor(private readonly deps: PipelineDeps) {
    this.decodeCounters = deps.metrics.stage('decode');
    this.indexCounters = deps.metrics.stage('index');
    this.sink = new ElasticsearchSink(deps.es, deps.logger, deps.metrics);
    const source = schemaSourceFor(deps.core.schemaRegistryUrl);
    this.decoder = usageDecoder(source);
    this.alerts = alertEncoder(source);
  }

  get isRunning(): boolean {
    return this.running;
  }

  health(): { ok: boolean; details: Record<string, unknown> } {
    return {
      ok: this.running && this.connected,
      details: { running: this.running, kafka: this.connected ? 'connected' : 'disconnected', lastBatchAt: this.lastBatchAt ? new Date(this.lastBatchAt).toISOString() : null },
    };
  }

  async start(): Promise<void> {
    const { core, config, logger } = this.deps;
    const kafka = this.deps.kafka ?? createKafka(core.kafkaBrokers, `${core.kafkaClientId}-pipeline`, logger);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, projectTopics(core));
      if (created.length) logger.info({ topics: created }, 'created topics');
    } finally {
      await admin.disconnect();
    }
    // Idempotent and versioned: instances racing at start each find the assets installed or install the same ones.
    const sc = setupConfig.fromEnv(this.deps.env);
    const jc = jobsConfig.fromEnv(this.deps.env);
    // a cluster that is recovering a node answers nothing for a while: retried like every other transient error
    await retry(
      () =>
        installAssets(this.deps.es, {
          prefix: core.indexPrefix,
          shards: sc.shards,
          replicas: sc.replicas,
          refreshInterval: sc.refreshInterval,
          ilm: sc.ilm as 'auto' | 'on' | 'off',
          retentionDays: { events: jc.eventsRetentionDays, alerts: jc.alertsRetentionDays },
        }),
      { onRetry: ({ attempt, err, delayMs }) => logger.warn({ attempt, delayMs, err: errorMessage(err) }, 'installing the Elasticsearch assets failed; retrying') },
    );

    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.partitions = new TopicPartitions(kafka.admin());
    await this.producer.connect();
    this.transforms =
      this.deps.transforms ??
      (await createStages(config.stages, { core, env: this.deps.env, es: this.deps.es, producer: this.producer, logger, metrics: this.deps.metrics, groupId: config.groupId }));
    for (const t of this.transforms) await t.start?.();
    this.sanitize = deadLetterSanitizer(this.deps.env, this.transforms.some((t) => t.name === 'tokenize'));
    // Scheduled key-hygiene and retention jobs: every instance schedules them, the lock lets one run each.
    if (jobsConfig.fromEnv(this.deps.env).enabled) {
      this.scheduler = new JobScheduler(new JobRunner({ es: this.deps.es, core, logger, env: this.deps.env, kafka, producer: this.producer, metrics: this.deps.metrics }), logger);
      this.scheduler.start();
    }

    this.consumer = kafka.consumer({
      groupId: config.groupId,
      sessionTimeout: config.sessionTimeoutMs,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: config.maxBytesPerPartition,
      maxBytes: config.fetchMaxBytes,
      minBytes: config.fetchMinBytes,
      maxWaitTimeInMs: config.fetchMaxWaitMs,
      allowAutoTopicCreation: false,
    });
    const trace = this.deps.onTrace;
    if (trace) {
      let fetchStart = 0;
      this.consumer.on(this.consumer.events.FETCH_START, () => (fetchStart = performance.now()));
      this.consumer.on(this.consumer.events.FETCH, () => trace({ kind: 'fetch', start: fetchStart, end: performance.now() }));
    }
    this.consumer.on(this.consumer.events.CONNECT, () => (this.connected = true));
    this.consumer.on(this.consumer.events.DISCONNECT, () => (this.connected = false));
    // Stages keep per-partition state; tell them which partitions a rebalance took away.
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      const mine = new Set(e.payload.memberAssignment[core.usageTopic] ?? []);
      const revoked = [...this.assigned].filter((p) => !mine.has(p));
      this.assigned = mine;
      for (const p of revoked) this.heldAt.delete(p);
      if (revoked.length === 0) return;
      void (async () => {
        for (const t of this.transforms) await t.onPartitionsRevoked?.(core.usageTopic, revoked);
      })().catch((err) => logger.error({ err: errorMessage(err), revoked }, 'a stage failed to release revoked partitions'));
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.connected = false;
      logger.error({ err: errorMessage(e.payload.error), restart: e.payload.restart }, 'consumer crashed');
    });
    await this.consumer.connect();
    this.connected = true;
    await this.consumer.subscribe({ topics: [core.usageTopic], fromBeginning: config.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      eachBatch: (p) => this.handleBatch(p),
    });
    this.running = true;
    logger.info({ groupId: config.groupId, topic: core.usageTopic, stages: this.transforms.map((t) => t.name) }, 'pipeline started');
  }

  /** Stops after the batch in flight: kafkajs waits for eachBatch to return before it leaves the group. */
  async stop(): Promise<void> {
    if (!this.running && !this.consumer) return;
    this.running = false;
    await this.scheduler?.stop();
    this.abort.abort(new Error('pipeline stopping'));
    await this.consumer?.disconnect();
    for (const t of [...this.transforms].reverse()) await t.close?.();
    await this.producer?.disconnect();
    await this.partitions?.close();
    this.consumer = undefined;
    this.deps.logger.info({ stages: this.deps.metrics.stageSnapshot() }, 'pipeline stopped');
  }

  private async decode(messages: EachBatchPayload['batch']['messages'], partition: number, dead: DeadLetter[]): Promise<AuditRecord[]> {
    const failed: DecodeFailure[] = [];
    const records = await decodeMessages(this.decoder, messages, partition, this.decodeCounters, failed);
    for (const f of failed) dead.push({ key: f.message.key, value: f.message.value, decoded: f.decoded, offset: f.message.offset, reason: f.reason, message: f.error, stage: 'decode' });
    return records;
  }

  /**
   * A fetched batch is written in chunks of `bulkMaxEvents`: chunk k+1 is decoded and staged while chunk k's bulk
   * is in flight, so the CPU and Elasticsearch work at the same time. One partition's writes stay in order (an
   * alert upserted by two chunks ends in its later state); the stages' checkpoints and the offset commit come after
   * every chunk is written, so the state saved is exactly that of the committed offset.
   * A chunk's alerts go to the alerts topic as soon as it is staged, one chunk's after the other's, not behind the
   * earlier chunks' bulk requests: they are what an operator waits for, and the offsets still move only after both
   * the alerts and the bulk are acknowledged (at-least-once; alert ids are stable, so a replay's copies deduplicate).
   */
  private async handleBatch(p: EachBatchPayload): Promise<void> {
    try {
      await this.handleBatchOnce(p);
    } catch (err) {
      // kafkajs fetches a failed batch again from the last resolved offset; past a held commit the stages' saved
      // state is older than that, so the partition goes back to the committed offset, where the state was saved
      const at = this.heldAt.get(p.batch.partition);
      if (at !== undefined && this.consumer) {
        try {
          this.consumer.seek({ topic: p.batch.topic, partition: p.batch.partition, offset: at });
        } catch (seekErr) {
          // a consumer that is stopping cannot seek; its next owner starts from the committed offset anyway
          this.deps.logger.warn({ err: errorMessage(seekErr), partition: p.batch.partition, offset: at }, 'could not seek a failed partition back to its committed offset');
        }
      }
      throw err;
    }
  }

  private async handleBatchOnce(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (batch.messages.length === 0) return;
    const ctx: BatchContext = { topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset()!, lastOffset: batch.lastOffset() };
    const labels = { topic: batch.topic, partition: String(batch.partition) };
    this.deps.metrics.set('llm_audit_consumer_lag', 'Messages behind the partition high watermark after the fetched batch.', labels, Number(batch.offsetLag()));
    // Give up a batch we no longer own (rebalance) or are stopping for; it will be redelivered uncommitted.
    const stillOwned = async () => {
      if (!p.isRunning() || p.isStale()) throw new LlmAuditError('batch abandoned: partition revoked or consumer stopping', { retriable: true });
      await p.heartbeat();
    };

    const dead: DeadLetter[] = [];
    const size = this.deps.config.bulkMaxEvents;
    const messages = batch.messages;
    const start = performance.now();
    let staged = 0;
    let writing: Promise<void> | undefined;
    // the alerts produced so far, chained so that a later chunk's update of an alert follows the earlier one
    let alerting: Promise<void> | undefined;
    let alertsFailed: unknown;
    try {
      for (let i = 0; i < messages.length; i += size) {
        const chunk = messages.length <= size ? messages : messages.slice(i, i + size);
        const last = i + size >= messages.length;
        const cctx: BatchContext = { ...ctx, firstOffset: i === 0 ? ctx.firstOffset : chunk[0]!.offset, lastOffset: last ? ctx.lastOffset : chunk[chunk.length - 1]!.offset };
        // a long batch heartbeats between chunks, and stops at once when a rebalance took the partition
        if (i > 0) await stillOwned();
        if (alertsFailed) throw alertsFailed;
        const records = await this.stage(chunk, cctx, dead, stillOwned);
        staged ||= performance.now();
        const alerts = latestAlerts(records);
        if (alerts.length) {
          const send = async () => {
            // behind a chunk whose alerts failed the batch is failing: it is redelivered, this chunk is not sent
            if (alertsFailed) throw alertsFailed;
            const sent = performance.now();
            await this.withRetry('produce alerts', () => this.produce(ctx.topic, ctx.partition, alerts, []), stillOwned);
            this.deps.onTrace?.({ kind: 'alerts', partition: ctx.partition, ids: alerts.map((a) => a.id), start: sent, acked: performance.now() });
          };
          alerting = (alerting ? alerting.then(send) : send()).catch((err) => {
            alertsFailed ??= err;
            this.deps.metrics.inc('llm_audit_alerts_unsent_total', 'Alerts whose produce failed after retries; their batch fails and is redelivered, which raises them again.', {}, alerts.length);
            this.deps.logger.error({ err: errorMessage(err), alerts: alerts.length, partition: ctx.partition }, 'alerts were not produced: the batch fails and is redelivered');
          });
        }
        // the chunk before this one must be acknowledged before this one is sent
        if (writing) await writing;
        writing = this.write(records, alerts, chunk, cctx, dead, stillOwned);
        // settled later (awaited above or below); until then its failure must not count as unhandled
        writing.catch(() => undefined);
      }
      await writing;
      await alerting;
      if (alertsFailed) throw alertsFailed;
    } finally {
      // never leave a write or a produce running behind a failed chunk: the batch's redelivery would race it
      await writing?.catch(() => undefined);
      await alerting;
    }
    const written = performance.now();

    // The dead letters and each stage's checkpoint are independent of one another (a redelivered batch raises the
    // same dead letters whatever the stages' state): one round trip for all of them, then the commit.
    const after = await Promise.allSettled([
      this.withRetry('produce dead letters', () => this.produce(batch.topic, batch.partition, [], dead), stillOwned),
      ...this.transforms.filter((t) => t.checkpoint).map((t) => this.withRetry(`checkpoint ${t.name}`, () => t.checkpoint!(ctx), stillOwned)),
    ]);
    for (const r of after) if (r.status === 'rejected') throw r.reason;
    const checkpointed = performance.now();

    p.resolveOffset(ctx.lastOffset);
    // A stage whose state at this offset is not saved yet (detect with a snapshot interval) holds the commit: the
    // committed offset stays at the last saved state, so a restart replays from exactly there (more redelivered
    // events, deduplicated by id, instead of committed events missing from the state). A later batch commits past it.
    if (after.some((r) => r.status === 'fulfilled' && r.value === false)) {
      if (!this.heldAt.has(batch.partition)) this.heldAt.set(batch.partition, ctx.firstOffset);
      this.deps.metrics.inc('llm_audit_commits_held_total', 'Batches whose offset commit waited for a later batch because a stage had not saved its state at their end.', {});
    } else {
      await p.commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: (BigInt(ctx.lastOffset) + 1n).toString() }] }] });
      this.heldAt.delete(batch.partition);
    }
    this.lastBatchAt = Date.now();
    this.deps.onTrace?.({ kind: 'batch', partition: batch.partition, events: messages.length, firstOffset: ctx.firstOffset, start, staged, written, checkpointed, committed: performance.now() });
  }

  /** Decode and the transform stages for one chunk; what can never be indexed goes to `dead`. */
  private async stage(messages: EachBatchPayload['batch']['messages'], ctx: BatchContext, dead: DeadLetter[], stillOwned: () => Promise<void>): Promise<AuditRecord[]> {
    const records = await this.decode(messages, ctx.partition, dead);
    for (const t of this.transforms) {
      await this.withRetry(`stage ${t.name}`, () => Promise.resolve(t.process(records, ctx)), stillOwned);
    }
    const live: AuditRecord[] = [];
    for (const r of records) {
      if (r.deadLetter) {
        const m = messages.find((x) => x.offset === r.offset)!;
        dead.push({ key: m.key, value: m.value, decoded: r.event, offset: r.offset, ...r.deadLetter });
      } else live.push(r);
    }
    return live;
  }

  /** One chunk's bulk (its events and its alerts' documents); Elasticsearch's refusals become dead letters. */
  private async write(records: AuditRecord[], alerts: Alert[], messages: EachBatchPayload['batch']['messages'], ctx: BatchContext, dead: DeadLetter[], stillOwned: () => Promise<void>): Promise<void> {
    const items = bulkItems(records, alerts, this.deps.core.indexPrefix);
    this.indexCounters.received += records.length;
    const rejected = await this.sink.write(items, { beforeRetry: stillOwned, signal: this.abort.signal, maxDelayMs: this.deps.config.maxRetryDelayMs });
    let rejectedEvents = 0;
    for (const f of rejected) {
      if ('event' in (f.item.ref as object)) {
        rejectedEvents++;
        const r = f.item.ref as AuditRecord;
        const m = messages.find((x) => x.offset === r.offset)!;
        this.indexCounters.errored++;
        dead.push({ key: m.key, value: m.value, decoded: r.event, offset: r.offset, reason: 'index_rejected', message: `Elasticsearch refused the document (${f.status}): ${f.reason}`, stage: 'index' });
      } else {
        this.deps.metrics.inc('llm_audit_alerts_rejected_total', 'Alert documents Elasticsearch refused.', {});
        this.deps.logger.error({ alertId: (f.item.ref as Alert).id, status: f.status, reason: f.reason }, 'alert document refused by Elasticsearch');
      }
    }
    this.indexCounters.sent += records.length - rejectedEvents;
  }

  private async produce(topic: string, partition: number, alerts: Alert[], dead: DeadLetter[]): Promise<void> {
    if (!alerts.length && !dead.length) return;
    const { core } = this.deps;
    const topicMessages = [];
    if (alerts.length) {
      topicMessages.push({
        topic: core.alertsTopic,
        messages: await Promise.all(alerts.map(async (a) => ({ key: a.api_key_id, value: await this.alerts.encode(toAvro(a)), headers: { 'alert-id': a.id, rule: a.rule } }))),
      });
    }
    if (dead.length) {
      topicMessages.push({
        topic: core.dlqTopic,
        messages: dead.map((d) => {
          const safe = this.sanitize && (d.value || d.decoded) ? this.sanitize(d.value, d.decoded) : { value: d.value, encoding: d.value ? 'original' : 'none' };
          if (safe.encoding === 'dropped') this.deps.metrics.inc('llm_audit_dead_letter_payloads_dropped_total', 'Undecodable dead letters sent without their payload (no reveal key to encrypt it).', { reason: producerLabel(d.reason) });
          const headers: IHeaders = {
            'dlq.reason': d.reason,
            'dlq.error': this.sanitize?.text ? this.sanitize.text(d.message.slice(0, 2000)) : d.message.slice(0, 2000),
            'dlq.stage': d.stage,
            'dlq.source.topic': topic,
            'dlq.source.partition': String(partition),
            'dlq.source.offset': d.offset,
            'dlq.payload.encoding': safe.encoding,
            'dlq.at': new Date().toISOString(),
          };
          return { key: d.key, value: safe.value, headers };
        }),
      });
    }
    await sendByPartition(this.producer!, (t) => this.partitions!.count(t), { topicMessages, acks: -1 });
    this.deps.metrics.inc('llm_audit_dead_letters_total', 'Messages sent to the dead-letter topic.', {}, dead.length);
    this.deps.metrics.inc('llm_audit_alerts_emitted_total', 'Alert messages written to the alerts topic.', {}, alerts.length);
  }

  private withRetry<T>(what: string, fn: () => Promise<T>, beforeRetry: () => Promise<void>): Promise<T> {
    return retry(() => fn(), {
      retries: Infinity, initialDelayMs: 200, maxDelayMs: this.deps.config.maxRetryDelayMs, jitter: 0.2, signal: this.abort.signal,
      // heartbeat and ownership check during long waits too, not only between attempts
      beforeRetry, hookEveryMs: 3_000,
      onRetry: ({ attempt, err }) => {
        if (attempt === 1 || attempt % 10 === 0) this.deps.logger.warn({ attempt, err: errorMessage(err) }, `${what} failed; retrying`);
      },
    });
  }
}
