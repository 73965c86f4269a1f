/**
 * bench:chain — node CPU per event of the whole in-process chain, as the pipeline runs it on a batch:
 * decode (Confluent unframe + Avro + validate + audit document), tokenize, attribute, detect (state checkpoint to
 * memory), and the bulk request (items, alert documents, NDJSON body). No Kafka, no Elasticsearch.
 * Traffic: ../shared/data traffic-dev-v2 (else traffic-dev; about one event in five carries prompt text), else the
 * simulator with text on one event in five. Events are split over 6 partitions by key, batches of 500 per partition.
 * CPU time is process.cpuUsage (user + system, GC threads included) around each step, so other load on the machine
 * does not count; a cold pass (JIT, caches) runs first and the warm pass is reported.
 * Usage: npm run bench:chain [-- --events 30000 --passes 2 --traffic traffic-dev] [-- --digest: sha256 of the output, to check an optimisation changed nothing] [-- --json: the result as one JSON line]
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PerformanceObserver, performance, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { attributeConfig } from '../services/attribute/config.js';
import { scenarioDirectory } from '../services/attribute/fixtures.js';
import { IdentityDirectory } from '../services/attribute/directory.js';
import { parseDirectoryText } from '../services/attribute/identity.js';
import { AttributeStage } from '../services/attribute/stage.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { murmur2Partition } from '../services/common/kafka.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { repoRoot } from '../services/common/paths.js';
import type { Transform } from '../services/common/stage.js';
import type { UsageEvent } from '../services/common/types.js';
import { usageDecoder, usageEncoder } from '../services/common/usage.js';
import { validateEvent } from '../services/decode/validate.js';
import { openGeo } from '../services/detect/geo.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { MemoryStateStore } from '../services/detect/state-store.js';
import { bulkBody } from '../services/index/bulk-body.js';
import { bulkItems, decodeMessages, latestAlerts, type DecodeFailure, type RawMessage } from '../services/pipeline/chain.js';
import { Simulation } from '../services/simulate/traffic.js';
import { parseKeyring } from '../services/tokenize/keyring.js';
import { resolveIndices, tokenizeConfig } from '../services/tokenize/config.js';
import { harmlessId, TokenizeStage } from '../services/tokenize/stage.js';
import { ALL_TYPES, METADATA_TYPES, tokenizeText } from '../services/tokenize/index.js';

export const CHAIN_STEPS = ['decode', 'tokenize', 'attribute', 'detect', 'bulk'] as const;
export type ChainStep = (typeof CHAIN_STEPS)[number];

export interface ChainResult {
  cpuUsPerEvent: number;
  eventsPerCoreSecond: number;
  /** µs of CPU per event in each step of the warm pass. */
  breakdown: Record<string, number>;
  events: number;
  /** Share of events with a prompt or completion. */
  textShare: number;
  source: string;
  /** The cold pass (first in the process) for comparison. */
  coldCpuUsPerEvent: number;
  alerts: number;
  bodyBytes: number;
  /** µs per event the tokenizer itself spends on text and distinct metadata values (see tokenizerFloor). */
  tokenizerFloorUsPerEvent: number;
  /** µs per event of garbage-collection pauses that began within each step of the warm pass (wall time of the pause). */
  gcBreakdown: Record<string, number>;
  /** Peak resident set of the process (MiB), the loading of the traffic included: compare runs, not absolutes. */
  maxRssMiB: number;
  /** Resident set once the traffic is loaded and framed, before the passes (MiB). */
  rssBeforeMiB: number;
  /** Highest resident set seen after a batch of the passes (MiB): minus rssBeforeMiB, what the chain itself holds. */
  rssChainMiB: number;
  /** The young generation's reserved size at the end (MiB): two semi-spaces, set by --max-semi-space-size. */
  newSpaceMiB: number;
}

const PARTITIONS = 6;
/** The highest resident set sampled after a batch (outside the timed laps). */
let rssPeak = 0;
const BATCH = 500;
const TOPIC = 'llm.usage.v1';

interface Traffic {
  events: UsageEvent[];
  source: string;
  keys?: { api_key_id: string; service: string; environment: string; users: string[] }[];
  start?: number;
}

function sharedDataDir(): string | undefined {
  // LLM_AUDIT_SHARED_DATA, when set, is the only place looked at (a missing folder: the simulator)
  const set = process.env.LLM_AUDIT_SHARED_DATA;
  if (set !== undefined) return existsSync(set) ? set : undefined;
  for (const d of [join(repoRoot(), '..', 'shared', 'data'), '/tmp/shared/data']) if (existsSync(d)) return d;
  return undefined;
}

function loadTraffic(limit: number, only?: string): Traffic {
  const dir = sharedDataDir();
  for (const name of only ? [only] : ['traffic-dev-v2', 'traffic-dev']) {
    if (!dir || !existsSync(join(dir, `${name}.events.jsonl.gz`))) continue;
    const lines = gunzipSync(readFileSync(join(dir, `${name}.events.jsonl.gz`))).toString('utf8').split('\n');
    const events: UsageEvent[] = [];
    for (const l of lines) {
      if (!l) continue;
      events.push(JSON.parse(l) as UsageEvent);
      if (events.length >= limit) break;
    }
    const labels = JSON.parse(readFileSync(join(dir, `${name}.labels.json`), 'utf8')) as Pick<Traffic, 'keys' | 'start'>;
    return { events, source: `${name}.events.jsonl.gz`, keys: labels.keys, start: labels.start };
  }
  // no shared data (a user's clone): simulated traffic, text kept on one event in five
  const sim = new Simulation({ seed: 42, start: Date.UTC(2026, 10, 1), minutes: 24 * 60, keys: 60, text: true, piiRate: 0.3, attacks: true });
  const events: UsageEvent[] = [];
  for (const e of sim.events()) {
    if (events.length % 5 !== 0) e.prompt = e.completion = null;
    events.push(e);
    if (events.length >= limit) break;
  }
  return { events, source: 'simulated (60 keys, attacks, text on one event in five)' };
}

async function makeStages(t: Traffic, key: Buffer): Promise<Transform[]> {
  const metrics = new MetricsRegistry();
  const logger = pino({ level: 'silent' });
  const keyring = parseKeyring(`b1:${key.toString('base64')}`, 'bench key');
  const tokenize = new TokenizeStage({ config: resolveIndices(tokenizeConfig.parse({ tokenizeKeys: 'unused' })), keyring }, undefined, metrics, logger);
  const directory = new IdentityDirectory();
  if (t.keys && t.start) directory.setFile(parseDirectoryText(JSON.stringify(scenarioDirectory(t.keys, t.start).doc), 'bench directory'));
  const attribute = new AttributeStage({ config: attributeConfig.parse({ identityTopicEnabled: false }), logger, metrics, indexPrefix: 'bench', directory });
  await attribute.start();
  const detect = await DetectStage.create({ config: detectConfig.parse({}), env: {}, store: new MemoryStateStore(), logger, metrics, geo: await openGeo() });
  return [tokenize, attribute, detect];
}

/** Confluent-framed Avro messages, split by key over the partitions in arrival order, then cut into batches. */
async function framedBatches(events: UsageEvent[]): Promise<{ partition: number; messages: RawMessage[] }[]> {
  const enc = usageEncoder(new LocalSchemaSource());
  const perPartition: RawMessage[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const e of events) {
    const p = murmur2Partition(e.api_key_id, PARTITIONS);
    const list = perPartition[p]!;
    list.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(validateEvent({ ...e })), offset: String(list.length) });
  }
  // interleave the partitions batch by batch, as a consumer with several partitions sees them
  const out: { partition: number; messages: RawMessage[] }[] = [];
  for (let from = 0; perPartition.some((l) => l.length > from); from += BATCH) {
    for (let p = 0; p < PARTITIONS; p++) {
      const messages = perPartition[p]!.slice(from, from + BATCH);
      if (messages.length) out.push({ partition: p, messages });
    }
  }
  return out;
}

async function pass(t: Traffic, batches: { partition: number; messages: RawMessage[] }[], key: Buffer, digest?: Hash) {
  const [tokenize, attribute, detect] = await makeStages(t, key);
  const decoder = usageDecoder(new LocalSchemaSource());
  const counters = new MetricsRegistry().stage('decode');
  const us: Record<ChainStep, number> = { decode: 0, tokenize: 0, attribute: 0, detect: 0, bulk: 0 };
  let alerts = 0;
  let bodyBytes = 0;
  let events = 0;
  // which step a GC pause began in: the garbage of one step is often collected in a later one (a scavenge copies
  // whatever is alive, such as the batch's records), so the pauses are shown beside each step's CPU
  const windows: { step: ChainStep; from: number; to: number }[] = [];
  const pauses: PerformanceEntry[] = [];
  const gc = new PerformanceObserver((list) => void pauses.push(...list.getEntries()));
  gc.observe({ entryTypes: ['gc'] });
  let c = process.cpuUsage();
  let since = performance.now();
  const lap = (step: ChainStep) => {
    const d = process.cpuUsage(c);
    us[step] += d.user + d.system;
    const now = performance.now();
    windows.push({ step, from: since, to: now });
    since = now;
    c = process.cpuUsage();
  };
  for (const b of batches) {
    c = process.cpuUsage();
    since = performance.now();
    const failed: DecodeFailure[] = [];
    const records = await decodeMessages(decoder, b.messages, b.partition, counters, failed);
    if (failed.length) throw new Error(`bench traffic did not decode: ${failed[0]!.error}`);
    const ctx = { topic: TOPIC, partition: b.partition, firstOffset: b.messages[0]!.offset, lastOffset: b.messages[b.messages.length - 1]!.offset };
    lap('decode');
    await tokenize!.process(records, ctx);
    lap('tokenize');
    await attribute!.process(records, ctx);
    lap('attribute');
    await detect!.process(records, ctx);
    await detect!.checkpoint!(ctx);
    lap('detect');
    const live = records.filter((r) => !r.deadLetter);
    const batchAlerts = latestAlerts(live);
    const body = bulkBody(bulkItems(live, batchAlerts, 'bench'));
    lap('bulk');
    if (digest) for (const line of body.toString('utf8').split('\n')) digest.update(canonical(line));
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    alerts += batchAlerts.length;
    bodyBytes += body.length;
    events += records.length;
  }
  await attribute!.close?.();
  await detect!.close?.();
  // the observer is told of pauses on a later turn of the event loop (a timer turn; setImmediate was too early)
  await new Promise((r) => setTimeout(r, 20));
  gc.disconnect();
  const gcUs: Record<ChainStep, number> = { decode: 0, tokenize: 0, attribute: 0, detect: 0, bulk: 0 };
  let w = 0;
  for (const p of pauses.sort((x, y) => x.startTime - y.startTime)) {
    while (w < windows.length && windows[w]!.to < p.startTime) w++;
    if (w < windows.length && windows[w]!.from <= p.startTime) gcUs[windows[w]!.step] += p.duration * 1000;
  }
  const total = Object.values(us).reduce((a, b) => a + b, 0);
  return { us, gcUs, total, events, alerts, bodyBytes };
}

/** A JSON line with its object keys sorted: the digest does not depend on the order a document was built in. */
function canonical(line: string): string {
  if (!line) return '';
  const sort = (v: unknown): unknown => (Array.isArray(v) ? v.map(sort) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v);
  return JSON.stringify(sort(JSON.parse(line))) + '\n';
}

/**
 * sha256 over every bulk line the chain produces with a fixed key and a frozen clock (keys sorted): a change that
 * only makes the chain cheaper must leave it the same.
 */
export async function chainDigest(events?: number): Promise<string> {
  const t = loadTraffic(events ?? Infinity);
  const batches = await framedBatches(t.events);
  const realNow = Date.now;
  Date.now = () => Date.UTC(2026, 11, 1);
  try {
    const h = createHash('sha256');
    await pass(t, batches, Buffer.alloc(32, 7), h);
    return h.digest('hex');
  } finally {
    Date.now = realNow;
  }
}

/**
 * CPU of the tokenizer alone (tokenizeText, no stage) on what the chain cannot skip: every prompt and completion,
 * and each distinct metadata value once (an id that never repeats is scanned every time) but for the request ids of
 * the harmless shape the stage does not scan (harmlessId). No glue change removes it.
 */
function tokenizerFloor(t: Traffic, key: Buffer): number {
  const config = tokenizeConfig.parse({ tokenizeKeys: 'unused' });
  const text: string[] = [];
  const meta = new Set<string>();
  for (const e of t.events) {
    if (e.prompt) text.push(e.prompt);
    if (e.completion) text.push(e.completion);
    for (const f of config.metadataFields) {
      const v = (e as unknown as Record<string, unknown>)[f];
      if (typeof v === 'string' && v && !harmlessId(v)) meta.add(v);
    }
  }
  let us = Infinity;
  for (let i = 0; i < 2; i++) {
    // a fresh key ring (and so an empty token cache) each time, as each pass of the chain has: the first HMAC of
    // each distinct value is work no glue change removes; a ring kept from the first run made the floor 2-3 µs lower
    const keyring = parseKeyring(`b1:${key.toString('base64')}`, 'bench key');
    const c0 = process.cpuUsage();
    for (const s of text) tokenizeText(s, keyring, { types: ALL_TYPES, maxBytes: config.maxFieldBytes });
    for (const s of meta) tokenizeText(s, keyring, { types: METADATA_TYPES, maxBytes: config.maxFieldBytes });
    const c = process.cpuUsage(c0);
    us = Math.min(us, c.user + c.system);
  }
  return us / t.events.length;
}

export async function measureChain(opts: { events?: number; passes?: number; traffic?: 'traffic-dev-v2' | 'traffic-dev' } = {}): Promise<ChainResult> {
  const t = loadTraffic(opts.events ?? Infinity, opts.traffic);
  const batches = await framedBatches(t.events);
  const n = t.events.length;
  const rssBefore = process.memoryUsage.rss();
  const runs = [];
  const key = randomBytes(32);
  for (let i = 0; i < Math.max(2, opts.passes ?? 2); i++) runs.push(await pass(t, batches, key));
  const warm = runs.slice(1).sort((a, b) => a.total - b.total)[Math.floor((runs.length - 1) / 2)]!;
  const breakdown: Record<string, number> = {};
  const gcBreakdown: Record<string, number> = {};
  for (const s of CHAIN_STEPS) {
    breakdown[s] = warm.us[s] / n;
    gcBreakdown[s] = warm.gcUs[s] / n;
  }
  const cpuUsPerEvent = warm.total / n;
  return {
    cpuUsPerEvent,
    eventsPerCoreSecond: 1e6 / cpuUsPerEvent,
    breakdown,
    events: n,
    textShare: t.events.filter((e) => e.prompt || e.completion).length / n,
    source: t.source,
    coldCpuUsPerEvent: runs[0]!.total / n,
    alerts: warm.alerts,
    bodyBytes: warm.bodyBytes,
    tokenizerFloorUsPerEvent: tokenizerFloor(t, key),
    gcBreakdown,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    rssBeforeMiB: rssBefore / 1048576,
    rssChainMiB: rssPeak / 1048576,
    newSpaceMiB: (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0) / 1048576,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { events: { type: 'string' }, passes: { type: 'string', default: '2' }, traffic: { type: 'string' }, digest: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  if (values.digest) {
    console.log(`chain output digest: ${await chainDigest(values.events ? Number(values.events) : undefined)}`);
    process.exit(0);
  }
  if (values.traffic && values.traffic !== 'traffic-dev-v2' && values.traffic !== 'traffic-dev') throw new Error('--traffic is traffic-dev-v2 or traffic-dev');
  const r = await measureChain({ events: values.events ? Number(values.events) : undefined, passes: Number(values.passes), traffic: values.traffic as 'traffic-dev-v2' | 'traffic-dev' | undefined });
  if (values.json) {
    // one line for bench/chain-semispace.mjs and other drivers that run the bench under different node flags
    console.log(JSON.stringify(r));
    process.exit(0);
  }
  const f1 = (x: number) => x.toFixed(1);
  console.log(`chain on ${r.source}: ${r.events.toLocaleString('en')} events, ${(r.textShare * 100).toFixed(1)}% with text, ${r.alerts} alert updates, ${(r.bodyBytes / r.events).toFixed(0)} bulk bytes per event`);
  console.log(`CPU per event by step (warm pass, process.cpuUsage): ${CHAIN_STEPS.map((s) => `${s} ${f1(r.breakdown[s]!)} µs`).join(', ')}`);
  console.log(`GC pauses that began in each step (wall time, included above): ${CHAIN_STEPS.map((s) => `${s} ${f1(r.gcBreakdown[s]!)} µs`).join(', ')}`);
  console.log(`of which the tokenizer itself (tokenizeText on every prompt and completion and each distinct metadata value but harmless request ids, no stage): ${f1(r.tokenizerFloorUsPerEvent)} µs per event`);
  console.log(`chain total: ${f1(r.cpuUsPerEvent)} µs per event = ${Math.round(r.eventsPerCoreSecond).toLocaleString('en')} events/s per core (cold pass ${f1(r.coldCpuUsPerEvent)} µs); target <= 25 µs`);
  console.log(`memory: peak RSS ${r.maxRssMiB.toFixed(0)} MiB (before the passes ${r.rssBeforeMiB.toFixed(0)}, highest after a batch ${r.rssChainMiB.toFixed(0)}), young generation ${r.newSpaceMiB.toFixed(0)} MiB (node flags: ${process.execArgv.join(' ') || 'none'}${process.env.NODE_OPTIONS ? `, NODE_OPTIONS ${process.env.NODE_OPTIONS}` : ''})`);
}
