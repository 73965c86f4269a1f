import type { Client } from '@elastic/elasticsearch';
import type { Kafka } from 'kafkajs';
import { schemaSourceFor } from '../common/avro.js';
import { ConfigError, errorMessage } from '../common/errors.js';
import { createKafka } from '../common/kafka.js';
import type { Logger } from '../common/logger.js';
import { producerLabel, type MetricsRegistry, type StageCounters } from '../common/metrics.js';
import type { BatchContext, StageDeps, Transform, TransformFactory } from '../common/stage.js';
import type { Alert, AuditRecord, UsageEvent } from '../common/types.js';
import { attributeConfig, keyStateIndex, type AttributeConfig } from './config.js';
import { IdentityDirectory } from './directory.js';
import { enrich, ownerOf } from './enrich.js';
import { IdentityFileSource } from './file-source.js';
import type { Identity, TeamPolicy } from './identity.js';
import { BudgetExceeded } from './findings/budget-exceeded.js';
import { DAY_MS, type Finding, type FindingInput } from './findings/common.js';
import { createFindings } from './findings/index.js';
import { SharedKey } from './findings/shared-key.js';
import { IncidentBook } from './incidents.js';
import { KeyStateStore } from './key-state.js';
import { PriceTable } from './prices.js';
import { ensureIdentityTopic, IdentityCodec, IdentityTopicSource } from './topic-source.js';

interface KeyView {
  identity: Identity | undefined;
  team: TeamPolicy | undefined;
}

const MAX_VIEWS = 100_000;

export interface AttributeStageOptions {
  config: AttributeConfig;
  logger: Logger;
  metrics: MetricsRegistry;
  indexPrefix: string;
  es?: Client;
  /** Needed only for the identity topic. */
  kafka?: Kafka;
  kafkaClientId?: string;
  schemaRegistryUrl?: string;
  topicReplication?: number;
  directory?: IdentityDirectory;
  prices?: PriceTable;
}

/**
 * Attributes every call to its owner from the identity directory, prices it, and checks key
 * hygiene. Runs after tokenize (it never reads prompt text) and before detect (detectors can use
 * the owner fields). Findings become alerts on the record; the pipeline indexes and publishes them.
 */
export class AttributeStage implements Transform {
  readonly name = 'attribute';
  readonly counters: StageCounters;
  readonly directory: IdentityDirectory;
  readonly prices: PriceTable;
  readonly keyState: KeyStateStore;
  readonly incidents = new IncidentBook();
  readonly findings: Finding[];
  fileSource?: IdentityFileSource;
  topicSource?: IdentityTopicSource;
  /** Highest offset whose state changes are applied, per partition: a redelivered batch is enriched again but not counted twice. */
  private readonly applied = new Map<string, bigint>();
  private maxEventTime = 0;
  private lastPrune = 0;
  /** Directory answers per key, valid while the directory's version is unchanged: one Map get per event. */
  private readonly views = new Map<string, KeyView>();
  private viewsVersion = -1;
  private readonly input: FindingInput = { event: undefined as unknown as UsageEvent, identity: undefined, team: undefined, directoryConfigured: false, costUsd: undefined, previousLastSeen: undefined };

  constructor(private readonly o: AttributeStageOptions) {
    this.counters = o.metrics.stage('attribute');
    this.directory = o.directory ?? new IdentityDirectory();
    this.prices = o.prices ?? PriceTable.load(o.config.priceFile);
    this.keyState = new KeyStateStore(o.es, keyStateIndex(o.config, o.indexPrefix));
    this.findings = createFindings(o.config);
  }

  async start(): Promise<void> {
    const c = this.o.config;
    if (c.identityFile) {
      this.fileSource = new IdentityFileSource(this.directory, { path: c.identityFile, pollMs: c.identityPollMs, defaultRotationDays: c.defaultRotationDays, logger: this.o.logger, metrics: this.o.metrics });
      await this.fileSource.start();
    }
    if (c.identityTopicEnabled && c.identityTopic) {
      if (!this.o.kafka) throw new ConfigError('attribute: the identity topic needs Kafka; set LLM_AUDIT_IDENTITY_TOPIC_ENABLED=false to use the file only');
      const admin = this.o.kafka.admin();
      await admin.connect();
      try {
        if (await ensureIdentityTopic(admin, c.identityTopic, this.o.topicReplication ?? 1)) this.o.logger.info({ topic: c.identityTopic }, 'created compacted identity topic');
      } finally {
        await admin.disconnect();
      }
      this.topicSource = new IdentityTopicSource(this.directory, {
        kafka: this.o.kafka,
        topic: c.identityTopic,
        clientId: this.o.kafkaClientId ?? 'llm-audit',
        codec: new IdentityCodec(schemaSourceFor(this.o.schemaRegistryUrl), c.defaultRotationDays),
        logger: this.o.logger,
        metrics: this.o.metrics,
        catchUpTimeoutMs: c.identityCatchUpMs,
      });
      await this.topicSource.start();
    }
    if (!this.directory.configured) this.o.logger.warn('attribute: no identity source configured (LLM_AUDIT_IDENTITY_FILE, identity topic); documents get cost only and unattributed_key stays quiet');
    const n = await this.keyState.load();
    this.o.logger.info({ keys: this.directory.size, keyState: n, prices: this.prices.size }, 'attribute stage started');
  }

  async process(records: AuditRecord[], ctx: BatchContext): Promise<void> {
    const wkey = `${ctx.topic}:${ctx.partition}`;
    const applied = this.applied.get(wkey) ?? -1n;
    const attached = new Set<string>();
    const emitted: { r: AuditRecord; a: Alert }[] = [];
    // offsets rise within a batch: only a redelivered batch needs the per-record comparison
    const replayed = records.length > 0 && BigInt(records[0]!.offset) <= applied;
    for (const r of records) {
      this.counters.received++;
      if (r.deadLetter) {
        this.counters.dropped++;
        continue;
      }
      try {
        const e = r.event;
        const view = this.viewOf(e.api_key_id);
        const identity = view.identity;
        const team = view.team;
        const cost = this.prices.cost(e.model, e.input_tokens, e.output_tokens, e.status_code);
        if (cost === undefined) this.o.metrics.inc('llm_audit_unpriced_calls_total', 'Calls whose model is not in the price table (cost.usd is null).', { model: producerLabel(e.model) });
        enrich(r, identity, team, cost);
        if (replayed && BigInt(r.offset) <= applied) {
          this.counters.sent++;
          continue;
        }
        if (e.occurred_at > this.maxEventTime) this.maxEventTime = e.occurred_at;
        const previousLastSeen = this.keyState.touch(e.api_key_id, e.occurred_at);
        // one input object for every event: findings read it during check and keep nothing of it
        const input = this.input;
        input.event = e;
        input.identity = identity;
        input.team = team;
        input.directoryConfigured = this.directory.configured;
        input.costUsd = cost;
        input.previousLastSeen = previousLastSeen;
        let owner: Alert['owner'] | null = null;
        for (let i = 0; i < this.findings.length; i++) {
          // indexed loops: for-of over each finding's answer (NONE nearly always) made an iterator per finding per event
          const found = this.findings[i]!.check(input);
          for (let j = 0; j < found.length; j++) {
            const obs = found[j]!;
            owner ??= ownerOf(identity, team) ?? undefined;
            const a = this.incidents.observe(obs, e, owner);
            if (a && !attached.has(a.id)) {
              attached.add(a.id);
              r.alerts.push(a);
              emitted.push({ r, a });
            }
          }
        }
        this.counters.sent++;
      } catch (err) {
        // an enrichment bug must not stop the audit trail: the document goes on without owner fields
        this.counters.errored++;
        this.o.logger.error({ err: errorMessage(err), offset: r.offset, partition: r.partition }, 'attribute failed for one event');
      }
    }
    if (records.length) {
      const last = BigInt(records[records.length - 1]!.offset);
      if (last > applied) this.applied.set(wkey, last);
    }
    if (emitted.length) await this.resolveIncidents(emitted);
    this.prune();
  }

  private viewOf(keyId: string): KeyView {
    if (this.viewsVersion !== this.directory.version || this.views.size >= MAX_VIEWS) {
      this.views.clear();
      this.viewsVersion = this.directory.version;
    }
    let v = this.views.get(keyId);
    if (v === undefined) {
      const identity = this.directory.get(keyId);
      v = { identity, team: identity ? this.directory.team(identity.team) : undefined };
      this.views.set(keyId, v);
    }
    return v;
  }

  private async resolveIncidents(emitted: { r: AuditRecord; a: Alert }[]): Promise<void> {
    let suppressed: Set<string>;
    try {
      suppressed = await this.incidents.resolve(this.o.es, `${this.o.indexPrefix}-alerts-*`);
    } catch (err) {
      this.o.logger.warn({ err: errorMessage(err) }, 'attribute: prior alerts lookup failed; new incidents go out as new');
      return;
    }
    if (!suppressed.size) return;
    for (const { r } of emitted) r.alerts = r.alerts.filter((a) => !suppressed.has(a.id));
  }

  private prune(): void {
    if (this.maxEventTime - this.lastPrune < 10 * 60_000) return;
    this.lastPrune = this.maxEventTime;
    for (const f of this.findings) if (f instanceof SharedKey || f instanceof BudgetExceeded) f.prune(this.maxEventTime);
    this.incidents.expire(this.maxEventTime - DAY_MS);
  }

  async checkpoint(): Promise<void> {
    await this.keyState.flush();
  }

  async onPartitionsRevoked(topic: string, partitions: number[]): Promise<void> {
    for (const p of partitions) this.applied.delete(`${topic}:${p}`);
    await this.keyState.flush();
  }

  async close(): Promise<void> {
    this.fileSource?.close();
    await this.topicSource?.close();
    await this.keyState.flush().catch((err) => this.o.logger.warn({ err: errorMessage(err) }, 'attribute: key state not flushed at close'));
  }
}

export const createAttributeStage: TransformFactory = (deps: StageDeps) => {
  const config = attributeConfig.fromEnv(deps.env);
  const kafka = config.identityTopicEnabled && config.identityTopic ? createKafka(deps.core.kafkaBrokers, `${deps.core.kafkaClientId}-attribute`, deps.logger) : undefined;
  return new AttributeStage({
    config,
    logger: deps.logger,
    metrics: deps.metrics,
    indexPrefix: deps.core.indexPrefix,
    es: deps.es,
    kafka,
    kafkaClientId: deps.core.kafkaClientId,
    schemaRegistryUrl: deps.core.schemaRegistryUrl,
    topicReplication: deps.core.topicReplication,
  });
};
