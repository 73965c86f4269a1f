/**
 * bench:pipeline — events per second through decode, validate and bulk index.
 * 1. CPU only: Avro unframe+decode, validate, build the audit document (one core, no I/O).
 * 2. End to end on the real local stack: N events pre-loaded on a topic, then the pipeline
 *    (no transform stages) consumes, decodes, validates and bulk-indexes them into Elasticsearch;
 *    timed from pipeline start to the last offset committed.
 * Usage: npm run bench:pipeline [-- --events 50000]
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { LocalSchemaSource } from '../services/common/avro.js';
import { usageDecoder, usageEncoder } from '../services/common/usage.js';
import { validateEvent } from '../services/decode/validate.js';
import { toAuditDoc } from '../services/index/audit-doc.js';
import { Simulation } from '../services/simulate/traffic.js';
import { TestStack } from '../test/pipeline-harness.js';
import { waitFor } from '../test/helpers.js';
import type { UsageEvent } from '../services/common/types.js';

const { values } = parseArgs({ options: { events: { type: 'string', default: '50000' }, 'cpu-only': { type: 'boolean', default: false } } });
const N = Number(values.events);

function makeEvents(n: number): UsageEvent[] {
  const sim = new Simulation({ seed: 42, start: Date.UTC(2026, 10, 1), minutes: 24 * 60, keys: 100 });
  const out: UsageEvent[] = [];
  for (const e of sim.events()) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

async function cpuOnly(events: UsageEvent[]): Promise<number> {
  const src = new LocalSchemaSource();
  const enc = usageEncoder(src);
  const dec = usageDecoder(src);
  const frames = await Promise.all(events.map((e) => enc.encode(e)));
  for (let i = 0; i < 2000; i++) toAuditDoc(validateEvent(await dec.decode(frames[i % frames.length]!), { allowUnknown: true })); // warm-up
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (const f of frames) sink += Object.keys(toAuditDoc(validateEvent(await dec.decode(f), { allowUnknown: true }))).length;
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (sink === 0) throw new Error('unreachable');
  return frames.length / s;
}

async function endToEnd(events: UsageEvent[]): Promise<{ eps: number; seconds: number }> {
  const stack = new TestStack('bench-pipeline', { topicPartitions: 6 });
  try {
    await stack.produceEvents(events);
    const t0 = Date.now();
    const p = await stack.startPipeline({ config: { stages: [] }, logger: pino({ level: 'warn' }) });
    await waitFor(async () => stack.metrics.stage('index').sent >= events.length, { timeoutMs: 600_000, intervalMs: 50, what: 'all events indexed' });
    const seconds = (Date.now() - t0) / 1000;
    await p.stop();
    const indexed = await stack.countDocs('events');
    if (indexed !== events.length) throw new Error(`indexed ${indexed} of ${events.length}`);
    return { eps: events.length / seconds, seconds };
  } finally {
    await stack.close();
  }
}

const events = makeEvents(N);
const cpu = await cpuOnly(events);
console.log(`decode+validate+document (1 core, CPU only): ${Math.round(cpu).toLocaleString('en-US')} events/s over ${events.length} events`);
if (!values['cpu-only']) {
  const e2e = await endToEnd(events);
  console.log(`Kafka -> decode -> validate -> bulk index (real Kafka + Elasticsearch, 6 partitions): ${Math.round(e2e.eps).toLocaleString('en-US')} events/s (${events.length} events in ${e2e.seconds.toFixed(1)} s)`);
}
