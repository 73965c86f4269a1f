// A/B of the detect stage between two builds, interleaved in one process (the box is shared, so rounds alternate
// and CPU time per event is compared), on ../shared/data traffic-dev-v2 as bench:detect feeds it (6 partitions,
// batches of 500, a snapshot per batch; TRAFFIC=traffic-dev for the first set). It also checks that both builds emit the same alerts and leave the same
// snapshots, byte for byte. Usage, after `npm run build` in both trees:
//   node bench/detect-ab.mjs /path/to/other/dist dist [rounds]
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { pino } from 'pino';

const [a = 'dist', b = 'dist', rounds = '6'] = process.argv.slice(2);
const builds = [];
for (const root of [a, b]) {
  const imp = (p) => import(pathToFileURL(resolve(root, p)).href);
  builds.push({
    root,
    metrics: await imp('services/common/metrics.js'),
    geo: await (await imp('services/detect/geo.js')).openGeo(),
    replay: await imp('services/detect/replay.js'),
    stage: await imp('services/detect/stage.js'),
    store: await imp('services/detect/state-store.js'),
    data: await imp('eval/detect-data.js'),
    us: [],
  });
}
const events = builds[0].data.loadTraffic(process.env.TRAFFIC ?? 'traffic-dev-v2').events;

async function pass(x) {
  const store = new x.store.MemoryStateStore();
  const stage = await x.stage.DetectStage.create({ config: x.stage.detectConfig.parse({}), env: { LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY: 'detect-ab fixed key' }, store, logger: pino({ level: 'silent' }), metrics: new x.metrics.MetricsRegistry(), geo: x.geo, wallClock: () => 0 });
  const input = events.map((e) => ({ ...e }));
  const c0 = process.cpuUsage();
  const { emitted } = await x.replay.replay(stage, input, { partitions: 6, batchSize: 500 });
  const c = process.cpuUsage(c0);
  // savedAt is wall-clock time; the rest of each snapshot must match
  const bodies = [...store.docs].sort().map(([id, doc]) => [id, JSON.parse(doc).offset, JSON.parse(doc).body]);
  const sha = (v) => createHash('sha256').update(JSON.stringify(v)).digest('hex');
  return { us: (c.user + c.system) / events.length, emitted: sha(emitted), snapshots: sha(bodies), n: emitted.length };
}

const first = [];
for (let r = 0; r < Number(rounds); r++) {
  for (const x of builds) {
    const p = await pass(x);
    x.us.push(p.us);
    if (r === 0) first.push(p);
  }
}
const same = first[1].emitted === first[0].emitted && first[1].snapshots === first[0].snapshots;
const med = (v) => [...v].sort((p, q) => p - q)[v.length >> 1];
// the first round warms the JIT; the median of the rest is compared
for (const x of builds) console.log(`${x.root.padEnd(40)} ${med(x.us.slice(1)).toFixed(2).padStart(6)} µs CPU per event (median of ${x.us.length - 1} warm rounds, min ${Math.min(...x.us.slice(1)).toFixed(2)}; all: ${x.us.map((u) => u.toFixed(1)).join(' ')})`);
console.log(`${same ? 'identical' : 'DIFFERENT'} alerts (${first[0].n} and ${first[1].n} emissions) and snapshots; ratio B/A ${(med(builds[1].us.slice(1)) / med(builds[0].us.slice(1))).toFixed(2)} of the medians, ${(Math.min(...builds[1].us.slice(1)) / Math.min(...builds[0].us.slice(1))).toFixed(2)} of the minima`);
if (!same) process.exitCode = 1;
