// Bytes the detect stage allocates per event, by allocating function (V8's sampling heap profiler, objects collected
// by minor and major GC included, so this counts garbage, not what stays): the detect stage on ../shared/data
// traffic-dev-v2 as bench:detect and detect-ab feed it (6 partitions, batches of 500, a snapshot per batch), one
// warm-up pass, then one sampled pass. Allocation does not depend on the machine's load, unlike CPU time.
// Usage, after `npm run build`: node bench/detect-alloc.mjs [dist]
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
const root = process.argv[2] ?? 'dist';
const imp = (p) => import(pathToFileURL(resolve(root, p)).href);
const metrics = await imp('services/common/metrics.js'); const geo = await (await imp('services/detect/geo.js')).openGeo();
const replay = await imp('services/detect/replay.js'); const stageM = await imp('services/detect/stage.js'); const store = await imp('services/detect/state-store.js'); const data = await imp('eval/detect-data.js');
const events = data.loadTraffic('traffic-dev-v2').events;
const mk = async () => stageM.DetectStage.create({ config: stageM.detectConfig.parse({}), env: { LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY: 'k' }, store: new store.MemoryStateStore(), logger: pino({ level: 'silent' }), metrics: new metrics.MetricsRegistry(), geo, wallClock: () => 0 });
await replay.replay(await mk(), events.map((e) => ({ ...e })), { partitions: 6, batchSize: 500 });
const input = events.map((e) => ({ ...e })); const st = await mk();
const s = new Session(); s.connect();
await s.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
await replay.replay(st, input, { partitions: 6, batchSize: 500 });
const { profile } = await s.post('HeapProfiler.stopSampling');
const agg = new Map(); let tot = 0;
const walk = (n, stack) => { const f = n.callFrame; const k = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`; if (n.selfSize) { const kk = `${k}  <  ${stack}`; agg.set(kk, (agg.get(kk) ?? 0) + n.selfSize); tot += n.selfSize; } for (const c of n.children) walk(c, k); };
walk(profile.head, '');
console.log('sampled bytes per event', (tot / events.length).toFixed(0));
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log((v / events.length).toFixed(1).padStart(7), 'B/event', k);
