import { defineConfig, type ConfigOf } from '../common/config.js';
import { ConfigError } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry, StageCounters } from '../common/metrics.js';
import type { BatchContext, StageDeps, Transform, TransformFactory } from '../common/stage.js';
import type { Alert, AuditRecord } from '../common/types.js';
import type { DetectorDef } from './detector.js';
import { DetectEngine, PartitionState, SNAPSHOT_VERSION, type LoadedDetector } from './engine.js';
import { geoConfig, openGeo, type GeoLookup } from './geo.js';
import { discoverDetectors } from './registry.js';
import { EsStateStore, type StateStore } from './state-store.js';

export const detectConfig = defineConfig('detect', {
  allowedLatenessMs: { type: 'int', env: 'LLM_AUDIT_DETECT_LATENESS_MS', default: 60_000, min: 0, description: 'Events up to this much older (occurred_at) than the newest of their key still count in windows; later ones only get geo.' },
  keyIdleMs: { type: 'int', env: 'LLM_AUDIT_DETECT_KEY_IDLE_MS', default: 24 * 3600_000, min: 60_000, description: 'A key with no event for this long (event time) is forgotten: baselines, seen countries, open incidents.' },
  snapshotIntervalMs: { type: 'int', env: 'LLM_AUDIT_DETECT_SNAPSHOT_INTERVAL_MS', default: 0, min: 0, description: 'At most one state snapshot per partition per interval (0: every batch, before its offsets are committed). Above 0 the pipeline holds the offset commit at the last snapshot, so a restart after any crash still resumes exactly, from the snapshot: fewer state writes per batch, at the cost of redelivering up to an interval of events (deduplicated by id).' },
  stateIndex: { type: 'string', env: 'LLM_AUDIT_DETECT_STATE_INDEX', description: 'Index of the per-partition state snapshots (default <prefix>-detect-state).' },
  faultKillAfterSaves: { type: 'int', env: 'LLM_AUDIT_DETECT_FAULT_KILL_AFTER_SAVES', default: 0, min: 0, description: 'Fault injection for tests: SIGKILL this process right after its Nth state snapshot is written, i.e. between the state checkpoint and the offset commit (0: off).' },
  detectors: { type: 'list', env: 'LLM_AUDIT_DETECTORS', description: 'Detectors to run (default: every file in services/detect/detectors).', example: 'token_spike,geo_anomaly' },
});
export type DetectConfig = ConfigOf<typeof detectConfig.spec>;

export interface DetectStageOptions {
  config: DetectConfig;
  env: NodeJS.ProcessEnv;
  store: StateStore;
  logger: Logger;
  metrics: MetricsRegistry;
  geo?: GeoLookup | null;
  /** default: discovered in detectors/ */
  detectors?: DetectorDef[];
  wallClock?: () => number;
}

export async function loadDetectors(env: NodeJS.ProcessEnv, only: string[] = [], defs?: DetectorDef[]): Promise<{ def: DetectorDef; cfg: unknown }[]> {
  const all = defs ?? (await discoverDetectors()).map((d) => d.def);
  const unknown = only.filter((n) => !all.some((d) => d.name === n));
  if (unknown.length) throw new ConfigError(`LLM_AUDIT_DETECTORS names unknown detector(s) ${unknown.join(', ')}; known: ${all.map((d) => d.name).join(', ')}`);
  return all.filter((d) => only.length === 0 || only.includes(d.name)).map((def) => ({ def, cfg: def.config.fromEnv(env) }));
}

export class DetectStage implements Transform {
  readonly name = 'detect';
  readonly counters: StageCounters;
  readonly engine: DetectEngine;
  private readonly partitions = new Map<string, PartitionState>();
  private saves = 0;

  constructor(private readonly o: DetectStageOptions, detectors: LoadedDetector[]) {
    this.counters = o.metrics.stage('detect');
    this.engine = new DetectEngine(detectors, {
      allowedLatenessMs: o.config.allowedLatenessMs,
      keyIdleMs: o.config.keyIdleMs,
      geo: o.geo ?? null,
      wallClock: o.wallClock,
      onDetectorError: (name, err) => {
        this.counters.errored++;
        o.metrics.inc('llm_audit_detector_errors_total', 'Detector exceptions (the event is still indexed).', { detector: name });
        o.logger.error({ detector: name, err: { message: (err as Error)?.message, stack: (err as Error)?.stack } }, 'detector failed on an event');
      },
    });
  }

  static async create(o: DetectStageOptions): Promise<DetectStage> {
    const loaded = await loadDetectors(o.env, o.config.detectors, o.detectors);
    const ctx = { allowedLatenessMs: o.config.allowedLatenessMs, env: o.env };
    return new DetectStage(
      o,
      loaded.map(({ def, cfg }) => ({ def, inst: def.create(cfg as never, ctx), clearAfterMs: def.clearAfterMs(cfg as never) })),
    );
  }

  private async partition(ctx: BatchContext): Promise<PartitionState> {
    const id = `${ctx.topic}-${ctx.partition}`;
    const first = Number(ctx.firstOffset);
    let ps = this.partitions.get(id);
    // A batch that goes back (redelivery after a failed batch): our state is ahead, the snapshot is the truth.
    // One that skips ahead: another instance may have had the partition (or offsets were taken by
    // transaction markers), so a newer snapshot wins and ours is kept otherwise.
    const rewind = ps && ps.processed >= 0 && first <= ps.processed;
    const gap = ps && ps.processed >= 0 && first > ps.processed + 1;
    if (!ps || rewind || gap) {
      const snap = await this.o.store.load(ctx.topic, ctx.partition);
      if (!ps || rewind || (snap && snap.offset > ps.processed)) {
        const usable = snap && snap.body.v === SNAPSHOT_VERSION;
        if (snap && !usable) this.o.logger.warn({ topic: ctx.topic, partition: ctx.partition, version: snap.body.v, expected: SNAPSHOT_VERSION }, 'detector state snapshot of another version: starting this partition with fresh state');
        ps = usable ? this.engine.restore(snap.body, snap.offset) : new PartitionState();
        // records between the snapshot and this batch were committed but never folded into the state
        // (only with a snapshot interval): detection after this point differs from an uninterrupted run
        const missing = usable ? first - 1 - snap.offset : 0;
        if (missing > 0) {
          this.o.metrics.inc('llm_audit_detect_state_gap_records_total', 'Committed records the restored detector state never saw (snapshot older than the committed offset).', {}, missing);
          this.o.logger.warn({ topic: ctx.topic, partition: ctx.partition, snapshotOffset: snap!.offset, firstOffset: first, missing }, 'detector state restored from before the committed offset: those records are not in the state');
        }
        this.partitions.set(id, ps);
        this.o.metrics.inc('llm_audit_detect_state_loads_total', 'Detector state snapshots loaded (start, rebalance, redelivery).', { found: String(!!snap) });
      }
    }
    return ps;
  }

  async process(records: AuditRecord[], ctx: BatchContext): Promise<void> {
    const ps = await this.partition(ctx);
    const batchAlerts = new Map<string, Alert>();
    let skipped = 0;
    for (const r of records) {
      this.counters.received++;
      const geo = this.engine.enrich(r);
      const off = Number(r.offset);
      if (r.deadLetter || off <= ps.processed) {
        if (!r.deadLetter) skipped++;
      } else {
        this.engine.detect(ps, r, geo, batchAlerts);
        ps.processed = off;
      }
      this.counters.sent++;
    }
    if (skipped) this.o.metrics.inc('llm_audit_detect_replayed_total', 'Records already reflected in restored detector state (not detected again).', {}, skipped);
    // a dead-lettered tail still moves the partition on
    const last = Number(ctx.lastOffset);
    if (last > ps.processed) ps.processed = last;
    this.o.metrics.set('llm_audit_detect_tracked_keys', 'API keys with detector state.', { partition: String(ctx.partition) }, ps.keys.size);
  }

  /** False when the interval skipped the snapshot: the pipeline then holds the commit at the last saved offset. */
  async checkpoint(ctx: BatchContext): Promise<boolean> {
    const ps = this.partitions.get(`${ctx.topic}-${ctx.partition}`);
    // only a state that matches exactly what was acknowledged may be saved
    if (!ps || ps.processed !== Number(ctx.lastOffset)) return true;
    ps.acked = ps.processed;
    const now = Date.now();
    // The pipeline holds the commit while this says false, so a restart resumes from a saved state whatever the
    // interval: a batch that changed an incident need not be saved at once (it is replayed from the last snapshot).
    if (now - ps.lastSaveAt >= this.o.config.snapshotIntervalMs) await this.save(ctx.topic, ctx.partition, ps, now);
    return ps.saved === ps.acked || !this.partitions.has(`${ctx.topic}-${ctx.partition}`);
  }

  private async save(topic: string, partition: number, ps: PartitionState, now = Date.now()): Promise<void> {
    if (ps.saved === ps.acked) return;
    const offset = ps.acked;
    const written = await this.o.store.save({ topic, partition, offset, savedAt: now, body: this.engine.snapshot(ps) });
    ps.saved = offset;
    ps.lastSaveAt = now;
    ps.incidentsChanged = false;
    if (written) {
      this.o.metrics.inc('llm_audit_detect_state_saves_total', 'Detector state snapshots written.', {});
      if (this.o.config.faultKillAfterSaves > 0 && ++this.saves === this.o.config.faultKillAfterSaves) process.kill(process.pid, 'SIGKILL');
    }
    if (!written) {
      // another instance owns this partition now and is ahead: our copy is stale, load theirs if it comes back
      this.partitions.delete(`${topic}-${partition}`);
      this.o.metrics.inc('llm_audit_detect_state_superseded_total', 'Snapshots not written because another instance had saved a later offset.', {});
    }
  }

  /** Saves what was acknowledged, then forgets the partitions: their next owner loads the snapshot. */
  async onPartitionsRevoked(topic: string, partitions: number[]): Promise<void> {
    for (const p of partitions) {
      const id = `${topic}-${p}`;
      const ps = this.partitions.get(id);
      if (!ps) continue;
      try {
        if (ps.processed === ps.acked) await this.save(topic, p, ps);
      } finally {
        this.partitions.delete(id);
      }
    }
  }

  async close(): Promise<void> {
    for (const [id, ps] of this.partitions) {
      const cut = id.lastIndexOf('-');
      if (ps.processed === ps.acked) await this.save(id.slice(0, cut), Number(id.slice(cut + 1)), ps);
    }
    this.partitions.clear();
  }

  /** For benchmarks and tests. */
  partitionState(topic: string, partition: number): PartitionState | undefined {
    return this.partitions.get(`${topic}-${partition}`);
  }
}

export async function buildDetectStage(deps: Pick<StageDeps, 'core' | 'env' | 'es' | 'logger' | 'metrics' | 'groupId'>): Promise<DetectStage> {
  const config = detectConfig.fromEnv(deps.env);
  const geo = await openGeo(geoConfig.fromEnv(deps.env));
  const store = new EsStateStore(deps.es, config.stateIndex ?? `${deps.core.indexPrefix}-detect-state`, deps.groupId);
  return DetectStage.create({ config, env: deps.env, store, logger: deps.logger, metrics: deps.metrics, geo });
}

export const createDetectStage: TransformFactory = (deps) => buildDetectStage(deps);
