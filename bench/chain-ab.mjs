// A/B of the in-process chain (bench:chain's steps) between two builds, interleaved in one process: the box is
// shared, so passes alternate A, B, A, B ... and the per-step medians of CPU time (process.cpuUsage) are compared.
// Both sides get the same framed Avro batches of ../shared/data traffic-dev-v2 (6 partitions, 500 per batch).
// Usage, after `npm run build` in both trees (a build outside a checkout needs one: node_modules and schemas/):
//   node bench/chain-ab.mjs /path/to/other/dist dist [--events 20000] [--passes 4]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { chainStages } from './chain-docs.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '20000' }, passes: { type: 'string', default: '4' } } });
const [a = 'dist', b = 'dist'] = positionals;
const data = new URL('../../shared/data/', import.meta.url);
const events = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', data))).toString('utf8').split('\n').filter(Boolean).slice(0, Number(values.events)).map((l) => JSON.parse(l));
const labels = JSON.parse(readFileSync(new URL('traffic-dev-v2.labels.json', data), 'utf8'));
const STEPS = ['decode', 'tokenize', 'attribute', 'detect', 'bulk'];
const MODULES = ['attribute/config', 'attribute/fixtures', 'attribute/directory', 'attribute/identity', 'attribute/stage', 'common/avro', 'common/kafka', 'common/metrics', 'common/usage',
  'decode/validate', 'detect/geo', 'detect/stage', 'detect/state-store', 'index/bulk-body', 'pipeline/chain', 'tokenize/keyring', 'tokenize/config', 'tokenize/stage'];

async function load(root) {
  const m = {};
  for (const p of MODULES) Object.assign(m, await import(pathToFileURL(resolve(root, `services/${p}.js`)).href));
  return m;
}

async function batchesOf(m) {
  const enc = m.usageEncoder(new m.LocalSchemaSource());
  const parts = Array.from({ length: 6 }, () => []);
  for (const e of events) {
    const list = parts[m.murmur2Partition(e.api_key_id, 6)];
    list.push({ key: Buffer.from(e.api_key_id), value: await enc.encode(m.validateEvent({ ...e })), offset: String(list.length) });
  }
  const out = [];
  for (let from = 0; parts.some((l) => l.length > from); from += 500)
    for (let p = 0; p < 6; p++) if (parts[p].length > from) out.push({ partition: p, messages: parts[p].slice(from, from + 500) });
  return out;
}

async function pass(m, batches) {
  const { tokenize, attribute, detect, decoder, counters } = await chainStages(m, labels);
  const us = Object.fromEntries(STEPS.map((s) => [s, 0]));
  let c;
  const lap = (s) => {
    const d = process.cpuUsage(c);
    us[s] += d.user + d.system;
    c = process.cpuUsage();
  };
  for (const bt of batches) {
    c = process.cpuUsage();
    const records = await m.decodeMessages(decoder, bt.messages, bt.partition, counters, []);
    const ctx = { topic: 'llm.usage.v1', partition: bt.partition, firstOffset: bt.messages[0].offset, lastOffset: bt.messages.at(-1).offset };
    lap('decode');
    await tokenize.process(records, ctx);
    lap('tokenize');
    await attribute.process(records, ctx);
    lap('attribute');
    await detect.process(records, ctx);
    await detect.checkpoint(ctx);
    lap('detect');
    const live = records.filter((r) => !r.deadLetter);
    // as bench:chain. A build whose bulkBody returns a string (before 2026-12-02) leaves the flattening and encoding
    // of it to the transport, uncounted here: bench/bulk-body-ab.mjs compares the body with what the transport does
    m.bulkBody(m.bulkItems(live, m.latestAlerts(live), 'bench'));
    lap('bulk');
  }
  await attribute.close();
  await detect.close?.();
  for (const s of STEPS) us[s] /= events.length;
  return us;
}

const sides = [];
for (const root of [a, b]) {
  const m = await load(root);
  sides.push({ root, m, batches: await batchesOf(m), runs: [] });
}
for (const s of sides) await pass(s.m, s.batches); // cold passes (JIT, caches), not counted
for (let i = 0; i < Number(values.passes); i++) for (const s of sides) s.runs.push(await pass(s.m, s.batches));
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
const row = (s) => Object.fromEntries([...STEPS, 'total'].map((k) => [k, med(s.runs.map((r) => (k === 'total' ? STEPS.reduce((t, x) => t + r[x], 0) : r[k])))]));
const rows = sides.map(row);
console.log(`chain A/B on ${events.length.toLocaleString('en-US')} traffic-dev-v2 events, ${values.passes} interleaved passes each, median µs of CPU per event:`);
for (const [i, s] of sides.entries()) console.log(`${(i ? 'B ' : 'A ') + s.root.padEnd(36)} ${[...STEPS, 'total'].map((k) => `${k} ${rows[i][k].toFixed(1)}`).join('  ')}`);
console.log(`ratio B/A ${''.padEnd(29)} ${[...STEPS, 'total'].map((k) => `${k} ${(rows[1][k] / rows[0][k]).toFixed(2)}`).join('  ')}`);
console.log(`decode + attribute + bulk: A ${(rows[0].decode + rows[0].attribute + rows[0].bulk).toFixed(1)} µs, B ${(rows[1].decode + rows[1].attribute + rows[1].bulk).toFixed(1)} µs`);
