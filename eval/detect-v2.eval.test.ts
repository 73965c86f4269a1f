import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { openGeo } from '../services/detect/geo.js';
import { discoverDetectors } from '../services/detect/registry.js';
import { latestById, replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { MemoryStateStore } from '../services/detect/state-store.js';
import { countsOnControl, describeDelays, explain, loadTraffic, matches, SPIKE_TARGET_S, spikeDelays } from './detect-data.js';

/**
 * traffic-dev-v2: the first data set's attacks plus cost, replay, credential and smuggling attacks, a seasonal
 * control, and `evidence_at` (the first event that makes an anomaly detectable) on the labels that have one.
 */
const { events, labels } = loadTraffic('traffic-dev-v2');
const rules = new Set((await discoverDetectors()).map((d) => d.def.name));

async function stage(store = new MemoryStateStore()) {
  return DetectStage.create({ config: detectConfig.parse({}), env: {}, store, logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

const TOKENIZE_FED = new Set(['credential_exposure']);

test('dev traffic v2: every labelled anomaly of every rule alerts in time, no control does, few unlabelled', async () => {
  const s = await stage();
  const t0 = performance.now();
  const { emitted } = await replay(s, events);
  const ms = performance.now() - t0;
  const alerts = [...latestById(emitted).values()];
  console.log(`${events.length} events in ${ms.toFixed(0)} ms, ${emitted.length} emissions, ${alerts.length} incidents`);

  const missed: string[] = [];
  const slow: string[] = [];
  for (const l of labels.labels) {
    const hit = alerts.filter((a) => matches(a, l)).sort((a, b) => a.first_seen - b.first_seen)[0];
    const from = l.evidence_at ?? l.start;
    const delay = hit ? (hit.first_seen - from) / 1000 : null;
    const name = `${l.rule}${l.kind ? `/${l.kind}` : ''} ${l.api_key_id}`;
    // credential_exposure reads what the tokenize stage found, and this replay runs detect alone: its labels are
    // gated by eval/credential-exposure.eval.test.ts, which runs tokenize and detect over this same traffic
    const elsewhere = TOKENIZE_FED.has(l.rule);
    const pending = !rules.has(l.rule) || elsewhere;
    console.log(`label ${name}: ${hit ? `alert ${delay!.toFixed(1)} s after ${l.evidence_at ? 'evidence_at' : 'start'}, count ${hit.count}` : elsewhere ? 'needs the tokenize stage: see credential-exposure.eval' : pending ? 'no detector for this rule yet' : 'MISSED'}`);
    if (!hit && !pending) missed.push(name);
    if (hit && l.rule === 'token_spike' && delay! > SPIKE_TARGET_S) console.log(`  SLOW: over the ${SPIKE_TARGET_S} s target`);
    if (hit && l.rule === 'token_spike' && delay! > 90) slow.push(`${name}: ${delay} s`);
  }
  const delays = spikeDelays(alerts, labels.labels);
  console.log(describeDelays(delays));
  assert.deepEqual(missed, [], 'recall must be 1.0 for every rule that has a detector');
  assert.deepEqual(slow, [], `token spikes within 90 s of event time (target ${SPIKE_TARGET_S} s: the slow ones are printed)`);
  // the two slow keys whose first 30 s hold no more evidence than ordinary bursts (docs/detect/detectors.md, "Why two
  // spikes take more than 30 s"); every other spike within the target
  const late = delays.filter((d) => d.delay! > SPIKE_TARGET_S).map((d) => d.label.api_key_id);
  assert.ok(late.length <= 2, `at most the two known spikes over ${SPIKE_TARGET_S} s, got ${late.join(', ')}`);

  const onControls = alerts.filter((a) => countsOnControl(a, labels.controls));
  const allowed = alerts.filter((x) => labels.controls.some((c) => c.api_key_id === x.api_key_id) && !onControls.includes(x));
  for (const a of allowed) console.log(`  allowed (seasonal control, before allow_until): ${explain(a)}`);
  assert.deepEqual(onControls.map(explain), [], 'no alert may name a control key');

  const unlabelled = alerts.filter((a) => !allowed.includes(a) && !labels.labels.some((l) => matches(a, l)));
  console.log(`unlabelled alerts: ${unlabelled.length}`);
  for (const a of unlabelled) console.log(`  ${explain(a)}`);
  assert.ok(unlabelled.length <= 6, `at most a handful of unlabelled alerts, got ${unlabelled.length}`);
});
