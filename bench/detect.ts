/**
 * bench:detect — the detect stage, with every detector, on one core.
 * 1. Throughput: the dev traffic (../shared/data traffic-dev-v2, else traffic-dev, else a simulated day) through
 *    the stage as the pipeline feeds it (6 partitions, batches of 500, a snapshot per batch to an in-memory
 *    store), GeoIP included. A cold pass (first run in the process: JIT, caches) and warm passes; events/s per
 *    core is events over the process's CPU time (user + system) of the pass, so other load on the machine
 *    does not count against it; wall-clock rates are printed too.
 * 2. Memory per tracked key: heap after GC plus the bytes of the engine's arena (detector number states, in
 *    typed-array chunks outside the heap) with many synthetic keys in state, divided by the keys;
 *    and the checkpointed bytes per key.
 * 3. With --breakdown: the same heap figure with each detector alone (the engine's own entry per key is the
 *    figure of a detector without state), to show where a key's bytes go.
 * Usage: npm run bench:detect [-- --keys 20000 --passes 3 --breakdown]
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { pino } from 'pino';
import { MetricsRegistry } from '../services/common/metrics.js';
import { repoRoot } from '../services/common/paths.js';
import type { AuditRecord, UsageEvent } from '../services/common/types.js';
import { fixtureEvent } from '../services/detect/detector.js';
import { openGeo } from '../services/detect/geo.js';
import { replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { MemoryStateStore } from '../services/detect/state-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const { values } = parseArgs({ options: { keys: { type: 'string', default: '20000' }, passes: { type: 'string', default: '3' }, breakdown: { type: 'boolean', default: false } } });

async function makeStage(store = new MemoryStateStore(), detectors?: string[]) {
  return DetectStage.create({ config: detectConfig.parse(detectors ? { detectors } : {}), env: {}, store, logger: pino({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

async function traffic(): Promise<{ events: UsageEvent[]; source: string }> {
  for (const name of ['traffic-dev-v2', 'traffic-dev']) {
    const file = join(repoRoot(), '..', 'shared', 'data', `${name}.events.jsonl.gz`);
    if (!existsSync(file)) continue;
    const { loadTraffic } = await import('../eval/detect-data.js');
    const events = loadTraffic(name).events;
    return { events, source: `${name} (${Math.round(events.length / 1000)}k events, ${new Set(events.map((e) => e.api_key_id)).size} keys, 4 h)` };
  }
  const { Simulation } = await import('../services/simulate/traffic.js');
  const sim = new Simulation({ seed: 7, start: Date.UTC(2026, 10, 1), minutes: 240, keys: 60 });
  return { events: [...sim.events()], source: 'simulated (240 min, 60 keys)' };
}

async function throughput(events: UsageEvent[], passes: number) {
  const out: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < passes; i++) {
    const stage = await makeStage();
    // each pass gets its own copy: stages enrich records in place
    const input = events.map((e) => ({ ...e }));
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await replay(stage, input, { partitions: 6, batchSize: 500 });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    out.push({ wall: events.length / wall, cpu: events.length / ((c.user + c.system) / 1e6) });
  }
  return out;
}

const IPS = ['81.2.69.142', '176.0.0.106', '83.0.0.60', '104.0.0.102'];

/** Keys with an hour of realistic use each: `principals` users, two countries, the odd failure. */
async function memoryPerKey(keys: number, principals: number, detectors?: string[]) {
  const stage = await makeStage(undefined, detectors);
  const T0 = Date.UTC(2026, 10, 1);
  const ctx = (p: number, first: number, last: number) => ({ topic: 't', partition: p, firstOffset: String(first), lastOffset: String(last) });
  // settle the geo cache and code paths before the baseline
  await stage.process([{ event: fixtureEvent({ occurred_at: T0 }), doc: {}, alerts: [], partition: 0, offset: '0' }], ctx(0, 0, 0));
  for (const ip of IPS) stage.engine.opts.geo?.lookup(ip);
  gc();
  const before = process.memoryUsage().heapUsed;
  let offset = 1;
  // an hour and a half of use: the seasonal profiles fill, duplicate slots and cost baselines are live
  const perKey = 60;
  for (let k = 0; k < keys; k++) {
    const recs: AuditRecord[] = [];
    for (let i = 0; i < perKey; i++) {
      const e = fixtureEvent({ occurred_at: T0 + 1000 + i * 90_000, api_key_id: `key_${k.toString(16).padStart(12, '0')}`, principal_id: `user-${k % 997}-${i % principals}`, source_ip: IPS[(k + (i % 4 === 0 ? 1 : 0)) % IPS.length]!, status_code: i === 17 ? 429 : 200, input_tokens: 200 + ((i * 37) % 400), request_id: `req_${k}_${i}`, prompt: i % 3 === 0 ? `Summarise support ticket ${k}-${i} for the weekly report, in three sentences.` : null });
      recs.push({ event: e, doc: {}, alerts: [], partition: 0, offset: String(offset++) });
    }
    await stage.process(recs, ctx(0, offset - perKey, offset - 1));
  }
  gc();
  const ps = stage.partitionState('t', 0)!;
  // detector number states live outside the JS heap, in the engine's arena (typed-array chunks): both count.
  // The chunks' own bytes, not the process's arrayBuffers figure, which lags behind GC of earlier passes' chunks.
  const after = process.memoryUsage().heapUsed + ps.arenaBytes;
  const snapshotBytes = JSON.stringify(stage.engine.snapshot(ps)).length;
  return { keys: ps.keys.size, bytesPerKey: (after - before) / keys, snapshotBytesPerKey: snapshotBytes / keys };
}

const { events, source } = await traffic();
const passes = Math.max(2, Number(values.passes));
const rates = await throughput(events, passes);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const warm = rates.slice(1).map((r) => r.cpu).sort((a, b) => a - b);
console.log(`detectors: ${(await makeStage()).engine.detectors.map((d) => d.def.name).join(', ')}`);
console.log(`detect stage throughput on ${source}: cold pass ${fmt(rates[0]!.cpu)} events/s per core (${fmt(rates[0]!.wall)} wall); warm passes median ${fmt(warm[Math.floor(warm.length / 2)]!)} events/s per core (${rates.slice(1).map((r) => `${fmt(r.cpu)} cpu / ${fmt(r.wall)} wall`).join(', ')}); target >= 50,000`);

const nKeys = Number(values.keys);
for (const principals of [1, 8]) {
  const m = await memoryPerKey(nKeys, principals);
  console.log(`memory per tracked key (${m.keys.toLocaleString('en')} keys, ${principals} principal${principals > 1 ? 's' : ''} each, 2 countries): ${Math.round(m.bytesPerKey)} bytes of heap and arena, ${Math.round(m.snapshotBytesPerKey)} bytes checkpointed (target < 1 KB)`);
}

if (values.breakdown) {
  for (const name of (await makeStage()).engine.detectors.map((d) => d.def.name)) {
    const one = Math.round((await memoryPerKey(nKeys, 1, [name])).bytesPerKey);
    const eight = Math.round((await memoryPerKey(nKeys, 8, [name])).bytesPerKey);
    console.log(`  ${name} alone (engine entry included): ${one} B of heap and arena per key with 1 principal, ${eight} B with 8`);
  }
}
