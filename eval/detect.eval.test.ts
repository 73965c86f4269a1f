import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { openGeo } from '../services/detect/geo.js';
import { latestById, replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { MemoryStateStore } from '../services/detect/state-store.js';
import { describeDelays, explain, loadTraffic, matches, SPIKE_TARGET_S, spikeDelays } from './detect-data.js';

const { events, labels } = loadTraffic();

async function stage(store = new MemoryStateStore()) {
  return DetectStage.create({ config: detectConfig.parse({}), env: {}, store, logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

test('dev traffic: every labelled anomaly alerts, no control does, few unlabelled alerts', async () => {
  const s = await stage();
  const t0 = performance.now();
  const { emitted } = await replay(s, events);
  const ms = performance.now() - t0;
  const alerts = [...latestById(emitted).values()];
  console.log(`${events.length} events in ${ms.toFixed(0)} ms (${Math.round(events.length / (ms / 1000))} events/s), ${emitted.length} emissions, ${alerts.length} incidents`);

  const missed = labels.labels.filter((l) => !alerts.some((a) => matches(a, l)));
  for (const l of labels.labels) {
    const hit = alerts.find((a) => matches(a, l));
    console.log(`label ${l.rule}${l.kind ? `/${l.kind}` : ''} ${l.api_key_id}: ${hit ? `alert after ${((hit.first_seen - l.start) / 1000).toFixed(0)} s, count ${hit.count}` : 'MISSED'}`);
  }
  assert.deepEqual(missed, [], 'recall must be 1.0');
  const delays = spikeDelays(alerts, labels.labels);
  console.log(describeDelays(delays));
  // the issue's target, met on this set (4-13 s on 2026-12-02)
  assert.deepEqual(delays.filter((d) => d.delay! > SPIKE_TARGET_S).map((d) => `${d.label.api_key_id} ${d.delay} s`), [], `token spikes within ${SPIKE_TARGET_S} s of their start`);

  const controlKeys = new Set(labels.controls.map((c) => c.api_key_id));
  const onControls = alerts.filter((a) => controlKeys.has(a.api_key_id));
  assert.deepEqual(onControls.map(explain), [], 'no alert may name a control key');

  const unlabelled = alerts.filter((a) => !labels.labels.some((l) => matches(a, l)));
  console.log(`unlabelled alerts: ${unlabelled.length}`);
  for (const a of unlabelled) console.log(`  ${explain(a)}`);
  assert.ok(unlabelled.length <= 6, `at most a handful of unlabelled alerts, got ${unlabelled.length}`);

  // one alert per incident: no two incidents of one rule and kind for a key overlap in time
  for (const a of alerts) {
    const twin = alerts.find((b) => b !== a && b.rule === a.rule && b.kind === a.kind && b.api_key_id === a.api_key_id && b.country === a.country && b.first_seen <= a.last_seen && a.first_seen <= b.last_seen);
    assert.equal(twin, undefined, `overlapping incidents: ${explain(a)}`);
  }
});

test('dev traffic: a restart in the middle gives the same alerts, none duplicated', async () => {
  const live = latestById((await replay(await stage(), events)).emitted);

  const store = new MemoryStateStore();
  const half = Math.floor(events.length / 2);
  const first = await stage(store);
  const a = await replay(first, events.slice(0, half));
  await first.close();
  // a new instance (as after a crash and restart) that knows only the snapshots
  const second = await stage(store);
  const b = await replay(second, events.slice(half), { startOffsets: a.offsets });
  const restarted = latestById([...a.emitted, ...b.emitted]);

  assert.deepEqual([...restarted.keys()].sort(), [...live.keys()].sort(), 'same incident ids');
  for (const [id, x] of live) {
    const y = restarted.get(id)!;
    assert.equal(y.count, x.count, `count of ${explain(x)}`);
    assert.equal(y.last_seen, x.last_seen);
  }
  // after the restart no incident that was already alerted is opened again under a new id
  const opened = b.emitted.filter((x) => x.count === 1 || !a.emitted.some((y) => y.id === x.id));
  for (const x of opened) assert.ok(!a.emitted.some((y) => y.rule === x.rule && y.kind === x.kind && y.api_key_id === x.api_key_id && y.country === x.country && x.first_seen - y.last_seen < 60_000), `re-opened after restart: ${explain(x)}`);
  console.log(`restart: ${live.size} incidents live, ${restarted.size} across the restart, ${store.saves} snapshots written`);
});
