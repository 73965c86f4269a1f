import type { Alert, AuditRecord, UsageEvent } from '../common/types.js';
import type { DetectStage } from './stage.js';
import { murmur2Partition } from '../common/kafka.js';

export { murmur2Partition } from '../common/kafka.js';

export interface ReplayOptions {
  topic?: string;
  partitions?: number;
  /** records per batch and partition, as a consumer would fetch them */
  batchSize?: number;
  /** offsets already assigned by a previous run (continuing a split replay) */
  startOffsets?: number[];
  /** call checkpoint after each batch (as the pipeline does after Elasticsearch acknowledged it) */
  checkpoint?: boolean;
}

/**
 * Feeds usage events, in arrival order, through a detect stage the way the pipeline does: per partition,
 * in batches, with offsets. Returns every alert emission (updates included) in order.
 */
export async function replay(stage: DetectStage, events: UsageEvent[], o: ReplayOptions = {}): Promise<{ emitted: Alert[]; offsets: number[] }> {
  const topic = o.topic ?? 'llm.usage.v1';
  const n = o.partitions ?? 6;
  const size = o.batchSize ?? 100;
  const offsets = o.startOffsets ? [...o.startOffsets] : new Array<number>(n).fill(0);
  const pending: AuditRecord[][] = Array.from({ length: n }, () => []);
  const emitted: Alert[] = [];
  const flush = async (p: number) => {
    const recs = pending[p]!;
    if (!recs.length) return;
    pending[p] = [];
    const ctx = { topic, partition: p, firstOffset: recs[0]!.offset, lastOffset: recs[recs.length - 1]!.offset };
    await stage.process(recs, ctx);
    for (const r of recs) for (const a of r.alerts) emitted.push(structuredClone(a));
    if (o.checkpoint !== false) await stage.checkpoint(ctx);
  };
  for (const e of events) {
    const p = murmur2Partition(e.api_key_id, n);
    pending[p]!.push({ event: e, doc: {}, alerts: [], partition: p, offset: String(offsets[p]!++) });
    if (pending[p]!.length >= size) await flush(p);
  }
  for (let p = 0; p < n; p++) await flush(p);
  return { emitted, offsets };
}

/** The latest state of each incident from a list of emissions. */
export function latestById(emitted: Alert[]): Map<string, Alert> {
  const m = new Map<string, Alert>();
  for (const a of emitted) m.set(a.id, a);
  return m;
}

/** Runs events through a fresh in-memory stage with the given detectors; returns each incident's last state. */
export async function runDetectors(defs: import('./detector.js').DetectorDef[], events: UsageEvent[], env: NodeJS.ProcessEnv = {}, opts: { sort?: boolean } = {}): Promise<Alert[]> {
  const [{ DetectStage, detectConfig }, { MemoryStateStore }, { openGeo }, { createLogger }, { MetricsRegistry }] = await Promise.all([
    import('./stage.js'),
    import('./state-store.js'),
    import('./geo.js'),
    import('../common/logger.js'),
    import('../common/metrics.js'),
  ]);
  const stage = await DetectStage.create({ config: detectConfig.fromEnv(env), env, store: new MemoryStateStore(), logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo(), detectors: defs });
  const sorted = opts.sort === false ? events : [...events].sort((a, b) => a.occurred_at - b.occurred_at);
  return [...latestById((await replay(stage, sorted, { partitions: 1 })).emitted).values()];
}
