import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { openGeo } from '../services/detect/geo.js';
import { latestById, replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { MemoryStateStore } from '../services/detect/state-store.js';
import { Simulation } from '../services/simulate/traffic.js';
import { describeDelays, explain, matches, spikeDelays } from './detect-data.js';

/**
 * Traffic the detectors were not tuned on: the project's own simulator (a different generator from the
 * dev traffic), several seeds. Recall is reported per seed; known misses are quiet keys whose geography
 * has not been learned yet when the attack comes (see docs/detect/stage.md).
 */
for (const seed of [11, 12, 13]) {
  test(`simulated traffic, seed ${seed}: recall, controls, unlabelled alerts`, async () => {
    const sim = new Simulation({ seed, start: Date.UTC(2026, 10, 2), minutes: 240, keys: 60, attacks: true });
    const events = [...sim.events()];
    const stage = await DetectStage.create({ config: detectConfig.parse({}), env: {}, store: new MemoryStateStore(), logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
    const alerts = [...latestById((await replay(stage, events)).emitted).values()];
    const missed = sim.labels.filter((l) => !alerts.some((a) => matches(a, l)));
    const controls = new Set(sim.controls.map((c) => c.api_key_id));
    const unlabelled = alerts.filter((a) => !sim.labels.some((l) => matches(a, l)));
    // the other geo kind of a labelled jump, or tokens burnt by a labelled rate-limit storm: the same attack seen twice
    const sameIncident = unlabelled.filter((a) => sim.labels.some((l) => l.api_key_id === a.api_key_id && Math.abs(a.first_seen - l.start) < 30 * 60_000));
    console.log(`seed ${seed}: ${events.length} events, recall ${sim.labels.length - missed.length}/${sim.labels.length}, unlabelled ${unlabelled.length} (${sameIncident.length} on a labelled attack of the same key, seen by another rule or kind)`);
    for (const l of missed) console.log(`  missed ${JSON.stringify(l)}`);
    const delays = spikeDelays(alerts, sim.labels);
    console.log(`  ${describeDelays(delays)}`);
    for (const a of unlabelled) if (!sameIncident.includes(a)) console.log(`  unlabelled ${explain(a)}`);
    assert.deepEqual(alerts.filter((a) => controls.has(a.api_key_id)).map(explain), [], 'no alert on a control key');
    // the gates are what docs/detect/detectors.md states for these seeds: recall 1.0, no control alerted, and no
    // unexplained alert (measured 2026-12-02: none; the one on seed 12 before was the fast test's statistic left
    // high by an earlier spike, now held at its threshold)
    assert.deepEqual(missed.map((l) => JSON.stringify(l)), [], `recall ${sim.labels.length - missed.length}/${sim.labels.length}`);
    // spikes on these seeds: 8.5-21.8 s, and 78.3 s on seed 13's key of 3 calls in the hour before (2026-12-02)
    assert.deepEqual(delays.filter((d) => d.delay! > 120).map((d) => `${d.label.api_key_id} ${d.delay} s`), [], 'token spikes within 120 s');
    const unexplained = unlabelled.filter((a) => !sameIncident.includes(a)).map(explain);
    assert.deepEqual(unexplained, [], `no unlabelled alert that is not on a labelled attack of the same key, got ${unexplained.length}`);
  });
}
