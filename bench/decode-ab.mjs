// A/B of the decode step alone (decodeMessages: unframe, Avro, validate, audit document) between two builds,
// interleaved in one process: rounds alternate A, B, A, B ... over the same framed Avro batches of ../shared/data
// traffic-dev-v2 (6 partitions by key, 500 per batch, as bench:chain), and the medians of CPU time
// (process.cpuUsage) per event are compared. The decoded records of both builds are checked equal first.
// Usage, after `npm run build` in both trees: node bench/decode-ab.mjs /path/to/other/dist dist [--events 30000] [--rounds 9]
import { isDeepStrictEqual } from 'node:util';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { encodedPartitions, load } from './chain-docs.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '30000' }, rounds: { type: 'string', default: '9' } } });
const [a = 'dist', b = 'dist'] = positionals;
const data = new URL('../../shared/data/', import.meta.url);
const events = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', data))).toString('utf8').split('\n').filter(Boolean).slice(0, Number(values.events)).map((l) => JSON.parse(l));
const MODULES = ['common/avro', 'common/kafka', 'common/metrics', 'common/usage', 'decode/validate', 'pipeline/chain'];
const sides = [];
for (const root of [a, b]) {
  const m = await load(root, MODULES);
  const parts = await encodedPartitions(m, events);
  const batches = [];
  for (let from = 0; parts.some((l) => l.length > from); from += 500)
    for (let p = 0; p < 6; p++) if (parts[p].length > from) batches.push({ partition: p, messages: parts[p].slice(from, from + 500) });
  const decoder = m.usageDecoder(new m.LocalSchemaSource());
  const counters = new m.MetricsRegistry().stage('decode');
  sides.push({ root, m, batches, decoder, counters, runs: [] });
}
const NOW = Date.UTC(2026, 11, 1);
for (const [i, bt] of sides[0].batches.entries()) {
  const x = await sides[0].m.decodeMessages(sides[0].decoder, bt.messages, bt.partition, sides[0].counters, [], NOW);
  const y = await sides[1].m.decodeMessages(sides[1].decoder, sides[1].batches[i].messages, bt.partition, sides[1].counters, [], NOW);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(x)), JSON.parse(JSON.stringify(y)))) throw new Error(`the two builds decode batch ${i} differently`);
}
for (let r = 0; r < Number(values.rounds); r++) {
  for (const s of sides) {
    let kept = 0;
    const c0 = process.cpuUsage();
    for (const bt of s.batches) kept += (await s.m.decodeMessages(s.decoder, bt.messages, bt.partition, s.counters, [], NOW)).length;
    const c = process.cpuUsage(c0);
    if (r > 0) s.runs.push((c.user + c.system) / kept); // the first round warms the JIT
  }
}
const med = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
console.log(`decode A/B on ${events.length.toLocaleString('en-US')} traffic-dev-v2 events, ${values.rounds - 1} interleaved rounds, median µs of CPU per event:`);
for (const [i, s] of sides.entries()) console.log(`${i ? 'B' : 'A'} ${s.root.padEnd(36)} ${med(s.runs).toFixed(2)} µs`);
console.log(`ratio B/A ${(med(sides[1].runs) / med(sides[0].runs)).toFixed(3)}`);
