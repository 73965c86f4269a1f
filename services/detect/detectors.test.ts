import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oneMinusExp } from './detector.js';
import { discoverDetectors } from './registry.js';
import { runDetectors } from './replay.js';

/** The one policy every detector is held to (elastic/detection-rules style): adding a file is enough to be checked. */
const found = await discoverDetectors();

test('detectors are discovered from the folder', () => {
  assert.ok(found.length >= 3, `found ${found.map((f) => f.file).join(', ')}`);
});

for (const { file, def } of found) {
  test(`${file}: name, metadata, config schema`, () => {
    assert.match(def.name, /^[a-z][a-z0-9_]*$/);
    assert.equal(file.replace(/\.(js|ts)$/, '').replace(/-/g, '_'), def.name, 'file is named after the rule');
    assert.ok(['low', 'medium', 'high', 'critical'].includes(def.severity));
    assert.ok(def.description.length > 20);
    assert.ok(def.knownGaps.length >= 1 && def.knownGaps.every((g) => g.length > 20), 'states its known gaps');
    assert.equal(def.config.component, `detect.${def.name}`);
    for (const [key, f] of Object.entries(def.config.spec)) {
      assert.ok(f.description.length > 10, `${key} has a description`);
      assert.match(f.env ?? '', /^LLM_AUDIT_[A-Z0-9_]+$/, `${key} has an env var`);
      assert.ok(f.type === 'list' || f.type === 'bool' || 'default' in f, `${key} has a default`);
    }
    const cfg = def.config.parse({});
    assert.ok(def.clearAfterMs(cfg) > 0);
    assert.throws(() => def.config.parse({ noSuchOption: 1 }), /unknown config key/);
  });

  test(`${file}: fires on its fixture`, async () => {
    const alerts = await runDetectors([def], def.fixtures.fires.events());
    const mine = alerts.filter((a) => a.rule === def.name);
    assert.ok(mine.length >= 1, `${def.fixtures.fires.description}: no ${def.name} alert`);
    for (const a of mine) {
      assert.ok(a.count >= 1 && a.first_seen <= a.last_seen && Object.keys(a.evidence).length > 0);
      assert.ok(!JSON.stringify(a).includes('"prompt"'), 'no raw text in alerts');
    }
  });

  test(`${file}: stays quiet on its benign fixture`, async () => {
    const alerts = await runDetectors([def], def.fixtures.quiet.events());
    assert.deepEqual(alerts.map((a) => `${a.kind}: ${a.message}`), [], def.fixtures.quiet.description);
  });
}

test('oneMinusExp is 1 - Math.exp(-x) to the bit, also past the point where it skips the exp', () => {
  let seed = 11;
  const rnd = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const xs = [0, 1e-12, 0.5, 1, 36.7, 37.5, 39.999999, 40, 40.000001, 41, 745, 746, 1e6, Infinity, -0, -1];
  for (let i = 0; i < 100_000; i++) xs.push(rnd() * 80, 30 + rnd() * 20, rnd() * 1e4);
  for (const x of xs) assert.equal(Object.is(oneMinusExp(x), 1 - Math.exp(-x)), true, String(x));
});
