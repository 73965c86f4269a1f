/**
 * bench:latency's background load, in a worker thread: a gateway's emitter is another process, so its encoding and
 * produce calls must not queue on the pipeline's event loop. Paced by the clock; emit()'s backpressure is
 * awaited, so an emitter that cannot keep up shows as a lower rate instead of an unbounded pile of pending events.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createKafka } from '../services/common/kafka.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { CoreConfig } from '../services/common/settings.js';
import { fixtureEvent } from '../services/detect/detector.js';
import { createUsageEmitter } from '../services/sdk/emitter.js';

const { core, perSecond, batchSize, readerGroup } = workerData as { core: CoreConfig; perSecond: number; batchSize: number; readerGroup: string };

// The usage topic read live by a group of its own, here too (it decodes every event): when a trial's events
// became readable, as an absolute time (performance.timeOrigin differs between threads).
const reader = createKafka(core.kafkaBrokers, 'latency-usage-reader').consumer({ groupId: readerGroup, maxWaitTimeInMs: 50 });
await reader.connect();
await reader.subscribe({ topic: core.usageTopic, fromBeginning: false });
await reader.run({
  eachBatch: async ({ batch }) => {
    const at = performance.timeOrigin + performance.now();
    for (const m of batch.messages) if (m.key?.toString().startsWith('key_lat_')) parentPort!.postMessage({ readable: m.key.toString(), at });
  },
});
const metrics = new MetricsRegistry();
// one batch is in flight at a time: a batch must hold what arrives during one acks=all round trip
const emitter = await createUsageEmitter({ core, topic: core.usageTopic, metrics, config: { batchSize, maxBufferedEvents: Math.max(10_000, 4 * batchSize) } });
await emitter.start();
let running = true;
parentPort!.on('message', (m) => {
  if (m === 'stop') running = false;
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let sent = 0;
const t0 = performance.now();
const report = setInterval(() => parentPort!.postMessage({ sent, delivered: metrics.stage('sdk').sent }), 200);
while (running) {
  const due = Math.floor(((performance.now() - t0) / 1000) * perSecond) - sent;
  const now = Date.now();
  const admitted: Promise<void>[] = [];
  for (let i = 0; i < due; i++, sent++) admitted.push(emitter.emit(fixtureEvent({ occurred_at: now, api_key_id: `key_bg_${sent % 50}`, principal_id: `user-${sent % 7}` })));
  await Promise.all(admitted);
  await sleep(10);
}
await emitter.close();
await reader.disconnect();
clearInterval(report);
parentPort!.postMessage({ sent, delivered: metrics.stage('sdk').sent, seconds: (performance.now() - t0) / 1000, done: true });
