// Bytes allocated per event by each step of the in-process chain (as bench:chain runs it), for one or two builds.
// Run with a young generation no batch fills, so no scavenge falls inside a step and the growth of the heap over
// the step is what it allocated (steps during which a GC ran are left out and counted):
//   node --min-semi-space-size=256 --max-semi-space-size=256 bench/chain-alloc.mjs [dist] [/work/base/dist] [--events 20000] [--sites]
// --sites: also the top allocation sites of the first build (sampling heap profiler, collected objects included).
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { chainStages, encodedPartitions, load } from './chain-docs.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { events: { type: 'string', default: '20000' }, sites: { type: 'boolean', default: false } } });
const roots = positionals.length ? positionals : ['dist'];
const data = new URL('../../shared/data/', import.meta.url);
const events = gunzipSync(readFileSync(new URL('traffic-dev-v2.events.jsonl.gz', data))).toString('utf8').split('\n').filter(Boolean).slice(0, Number(values.events)).map((l) => JSON.parse(l));
const labels = JSON.parse(readFileSync(new URL('traffic-dev-v2.labels.json', data), 'utf8'));
const STEPS = ['decode', 'tokenize', 'attribute', 'detect', 'bulk'];
const MODULES = ['attribute/config', 'attribute/fixtures', 'attribute/directory', 'attribute/identity', 'attribute/stage', 'common/avro', 'common/kafka', 'common/metrics', 'common/usage',
  'decode/validate', 'detect/geo', 'detect/stage', 'detect/state-store', 'index/bulk-body', 'pipeline/chain', 'tokenize/keyring', 'tokenize/config', 'tokenize/stage'];

async function pass(m, parts) {
  const { tokenize, attribute, detect, decoder, counters } = await chainStages(m, labels);
  const bytes = Object.fromEntries(STEPS.map((s) => [s, 0]));
  const counted = Object.fromEntries(STEPS.map((s) => [s, 0]));
  let gcSteps = 0;
  let h;
  let n = 0;
  const lap = (s, size) => {
    const now = getHeapStatistics().used_heap_size;
    // a fall of the heap: a collection ran inside the step, its growth is not its allocation
    if (now >= h) {
      bytes[s] += now - h;
      counted[s] += size;
    } else gcSteps++;
    h = getHeapStatistics().used_heap_size;
  };
  for (let from = 0; parts.some((l) => l.length > from); from += 500) {
    for (let p = 0; p < 6; p++) {
      if (parts[p].length <= from) continue;
      const messages = parts[p].slice(from, from + 500);
      h = getHeapStatistics().used_heap_size;
      const records = await m.decodeMessages(decoder, messages, p, counters, []);
      const ctx = { topic: 'llm.usage.v1', partition: p, firstOffset: messages[0].offset, lastOffset: messages.at(-1).offset };
      lap('decode', records.length);
      await tokenize.process(records, ctx);
      lap('tokenize', records.length);
      await attribute.process(records, ctx);
      lap('attribute', records.length);
      await detect.process(records, ctx);
      await detect.checkpoint(ctx);
      lap('detect', records.length);
      const live = records.filter((r) => !r.deadLetter);
      m.bulkBody(m.bulkItems(live, m.latestAlerts(live), 'bench'));
      lap('bulk', records.length);
      n += records.length;
    }
  }
  await attribute.close();
  await detect.close?.();
  return { perEvent: Object.fromEntries(STEPS.map((s) => [s, counted[s] ? bytes[s] / counted[s] : NaN])), gcSteps, steps: (n / 500) * STEPS.length };
}

async function sites(m, parts) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await pass(m, parts);
  const { profile } = await session.post('HeapProfiler.stopSampling');
  session.disconnect();
  const bySite = new Map();
  let total = 0;
  const walk = (node) => {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
    bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    for (const c of node.children) walk(c);
  };
  walk(profile.head);
  console.log(`top allocation sites (self, share of ${(total / events.length).toFixed(0)} sampled bytes per event):`);
  for (const [k, v] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(v / events.length).toFixed(0).padStart(7)} B/event ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}

for (const root of roots) {
  const m = await load(root, MODULES);
  const parts = await encodedPartitions(m, events);
  await pass(m, parts); // cold: caches, lazy compilation
  const r = await pass(m, parts);
  const total = STEPS.reduce((t, s) => t + r.perEvent[s], 0);
  console.log(`${root.padEnd(24)} bytes allocated per event: ${STEPS.map((s) => `${s} ${r.perEvent[s].toFixed(0)}`).join(', ')}, total ${total.toFixed(0)} (${r.gcSteps} of ${r.steps} steps had a GC, left out)`);
  if (values.sites && root === roots[0]) await sites(m, parts);
}
