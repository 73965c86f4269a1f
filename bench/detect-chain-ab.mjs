// A/B of the detect step alone on the records the chain hands it (decoded, tokenized, attributed: the documents,
// invisible-unicode counts and secret findings detect reads), between two builds, interleaved in one process.
// chain-ab.mjs measures the same step but runs the whole chain each pass (tokenize dominates its time and noise);
// here each build decodes, tokenizes and attributes ../shared/data traffic-dev-v2 once (6 partitions by key, 500 per
// batch, as bench:chain), then each pass runs a fresh detect stage over those records (process + checkpoint to a
// memory store, as bench:chain counts it), their alerts cleared first. Rerunning detect on a record only rewrites
// its source.geo with the same value. It checks both builds emit the same alerts and leave the same snapshots.
// Usage, after `npm run build` in both trees (a build outside a checkout needs one: node_modules, schemas/ and
// services/attribute/prices.default.json beside its dist/): node bench/detect-chain-ab.mjs /path/to/other/dist dist [--passes 8] [--events N]
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { chainStages, encodedPartitions, load } from './chain-docs.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string' }, passes: { type: 'string', default: '8' } } });
const [a = 'dist', b = 'dist'] = positionals;
const data = new URL('../../shared/data/', import.meta.url);
const lines = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', data))).toString('utf8').split('\n').filter(Boolean);
const events = lines.slice(0, values.events ? Number(values.events) : lines.length).map((l) => JSON.parse(l));
const labels = JSON.parse(readFileSync(new URL('traffic-dev-v2.labels.json', data), 'utf8'));
const MODULES = ['attribute/config', 'attribute/fixtures', 'attribute/directory', 'attribute/identity', 'attribute/stage', 'common/avro', 'common/kafka', 'common/metrics', 'common/usage',
  'decode/validate', 'detect/geo', 'detect/stage', 'detect/state-store', 'pipeline/chain', 'tokenize/keyring', 'tokenize/config', 'tokenize/stage'];

/** One build's batches of records, after decode, tokenize and attribute. */
async function recordsOf(m) {
  const parts = await encodedPartitions(m, events);
  const { tokenize, attribute, decoder, counters } = await chainStages(m, labels);
  const out = [];
  for (let from = 0; parts.some((l) => l.length > from); from += 500) {
    for (let p = 0; p < 6; p++) {
      if (parts[p].length <= from) continue;
      const messages = parts[p].slice(from, from + 500);
      const records = await m.decodeMessages(decoder, messages, p, counters, []);
      const ctx = { topic: 'llm.usage.v1', partition: p, firstOffset: messages[0].offset, lastOffset: messages.at(-1).offset };
      await tokenize.process(records, ctx);
      await attribute.process(records, ctx);
      out.push({ records, ctx });
    }
  }
  await attribute.close();
  return out;
}

async function pass(s) {
  const store = new s.m.MemoryStateStore();
  const detect = await s.m.DetectStage.create({ config: s.m.detectConfig.parse({}), env: { LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY: 'detect-chain-ab fixed key' }, store, logger: pino({ level: 'silent' }), metrics: new s.m.MetricsRegistry(), geo: s.geo, wallClock: () => 0 });
  for (const { records } of s.batches) for (const r of records) r.alerts = [];
  let us = 0;
  for (const { records, ctx } of s.batches) {
    const c0 = process.cpuUsage();
    await detect.process(records, ctx);
    await detect.checkpoint(ctx);
    const c = process.cpuUsage(c0);
    us += c.user + c.system;
  }
  await detect.close?.();
  const sha = (v) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
  // created is the wall clock (frozen at 0 here); savedAt is wall-clock time, the rest of each snapshot must match
  const alerts = sha(s.batches.map(({ records }) => records.map((r) => r.alerts)));
  const snapshots = sha([...store.docs].sort().map(([id, doc]) => [id, JSON.parse(doc).offset, JSON.parse(doc).body]));
  return { us: us / events.length, alerts, snapshots };
}

const sides = [];
for (const root of [a, b]) {
  const m = await load(root, MODULES);
  sides.push({ root, m, geo: await m.openGeo(), batches: await recordsOf(m), us: [], first: undefined });
}
for (let i = 0; i < Number(values.passes) + 1; i++) {
  for (const s of sides) {
    const p = await pass(s);
    if (i === 0) s.first = p; // the cold pass (JIT) is not counted
    else s.us.push(p.us);
  }
}
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
const same = sides[0].first.alerts === sides[1].first.alerts && sides[0].first.snapshots === sides[1].first.snapshots;
console.log(`detect step on ${events.length.toLocaleString('en-US')} chain records of traffic-dev-v2, ${values.passes} interleaved passes each, µs of CPU per event:`);
for (const [i, s] of sides.entries()) console.log(`${(i ? 'B ' : 'A ') + s.root.padEnd(36)} median ${med(s.us).toFixed(2)}  min ${Math.min(...s.us).toFixed(2)}  (all: ${s.us.map((u) => u.toFixed(2)).join(' ')})`);
console.log(`${same ? 'identical' : 'DIFFERENT'} alerts and snapshots; ratio B/A ${(med(sides[1].us) / med(sides[0].us)).toFixed(2)} of the medians, ${(Math.min(...sides[1].us) / Math.min(...sides[0].us)).toFixed(2)} of the minima`);
if (!same) process.exitCode = 1;
