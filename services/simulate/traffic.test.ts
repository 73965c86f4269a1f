import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../common/errors.js';
import type { UsageEvent } from '../common/types.js';
import { validateEvent } from '../decode/validate.js';
import { openCityDb } from './citydb.js';
import { Simulation, type Label } from './traffic.js';

// a Tuesday, 14:00 UTC: European keys are busy, American ones waking up
const START = Date.UTC(2026, 2, 3, 14, 0, 0);
const opts = { seed: 3, start: START, minutes: 60, keys: 40, attacks: true, piiRate: 0.1, ratePerKey: 3 };
const sim = new Simulation(opts);
const events = [...sim.events()];
const file = sim.labelsFile();
const inWindow = (e: UsageEvent, l: Label) => e.api_key_id === l.api_key_id && e.occurred_at >= l.start && e.occurred_at < l.end;

test('options are checked: a bad value fails with what to fix', () => {
  for (const bad of [{ minutes: 0 }, { keys: 0 }, { piiRate: 2 }, { start: 1_700_000_000 }, { attacks: true, minutes: 10 }]) {
    assert.throws(() => new Simulation({ ...opts, ...bad }), ConfigError, JSON.stringify(bad));
  }
});

test('the same seed gives the same traffic and labels; another seed different traffic', () => {
  const again = new Simulation(opts);
  const first = [...again.events()].slice(0, 200);
  assert.deepEqual(first, events.slice(0, 200));
  assert.deepEqual(again.labels, sim.labels);
  const other = [...new Simulation({ ...opts, seed: 4 }).events()].slice(0, 200);
  assert.notDeepEqual(other.map((e) => e.event_id), first.map((e) => e.event_id));
});

test('every event follows the usage-event contract and belongs to a key of the directory', () => {
  const keys = new Map(file.keys.map((k) => [k.api_key_id, k]));
  assert.equal(file.keys.length, 40);
  assert.equal(file.events, events.length);
  assert.ok(events.length > 2_000, `${events.length} events`);
  const ids = new Set<string>();
  for (const e of events) {
    assert.doesNotThrow(() => validateEvent({ ...e }));
    const k = keys.get(e.api_key_id);
    assert.ok(k, e.api_key_id);
    assert.equal(e.environment, k.environment);
    assert.ok(e.occurred_at >= START && e.occurred_at < START + 60 * 60_000);
    if (e.operation === 'embeddings') assert.equal(e.output_tokens, 0);
    if (e.status_code !== 200) assert.ok(e.error_code && e.output_tokens === 0);
    ids.add(e.event_id);
  }
  assert.equal(ids.size, events.length, 'event ids are unique');
});

test('arrival order: mostly event-time order, only slightly late, with a mix of statuses, models and operations', () => {
  let maxSeen = 0;
  const lateness: number[] = [];
  for (const e of events) {
    lateness.push(Math.max(0, maxSeen - e.occurred_at));
    maxSeen = Math.max(maxSeen, e.occurred_at);
  }
  lateness.sort((a, b) => a - b);
  assert.ok(lateness[Math.floor(lateness.length * 0.5)]! < 5_000, 'median lateness under 5 s');
  assert.ok(lateness[lateness.length - 1]! < 120_000, 'no event more than 2 minutes late');
  assert.ok(lateness[lateness.length - 1]! > 0, 'but some jitter');
  const by = (f: (e: UsageEvent) => string) => new Set(events.map(f));
  assert.ok(by((e) => String(e.status_code)).size >= 4);
  assert.ok(by((e) => e.operation).size === 3);
  assert.ok(by((e) => e.model).size >= 5);
  assert.ok(by((e) => e.provider).size === 2);
});

test('outside attack windows every key is used from its home countries (checked with the GeoLite2 database)', async () => {
  const db = await openCityDb();
  const home = new Map(file.keys.map((k) => [k.api_key_id, new Set(k.home)]));
  const attackKeys = new Set(file.labels.filter((l) => l.rule === 'geo_anomaly' || l.kind === 'auth_failures').map((l) => l.api_key_id));
  let checked = 0;
  for (const e of events) {
    if (attackKeys.has(e.api_key_id)) continue;
    const country = db.get(e.source_ip!)?.country_code;
    assert.ok(country && home.get(e.api_key_id)!.has(country), `${e.api_key_id} from ${e.source_ip} (${country})`);
    checked++;
  }
  assert.ok(checked > 1_000);
});

test('each labelled attack is in the events, and its signal stands out from the key\'s own baseline', async () => {
  const db = await openCityDb();
  const rules = new Set(file.labels.map((l) => `${l.rule}/${l.kind ?? ''}`));
  assert.deepEqual([...rules].sort(), ['geo_anomaly/impossible_travel', 'geo_anomaly/new_country', 'invalid_request_burst/auth_failures', 'invalid_request_burst/rate_limited', 'token_spike/']);
  for (const l of file.labels) {
    const win = events.filter((e) => inWindow(e, l));
    const len = l.end - l.start;
    const before = events.filter((e) => e.api_key_id === l.api_key_id && e.occurred_at >= l.start - len && e.occurred_at < l.start);
    const sum = (xs: UsageEvent[]) => xs.reduce((s, e) => s + e.input_tokens + e.output_tokens, 0);
    switch (l.rule) {
      case 'token_spike':
        assert.ok(sum(win) > 5 * Math.max(1, sum(before)), `token spike ${sum(win)} vs ${sum(before)} before`);
        break;
      case 'invalid_request_burst': {
        if (l.kind === 'rate_limited') {
          assert.equal(l.scenario, 'rate_limit_storm');
          assert.ok(win.filter((e) => e.status_code === 429).length >= 200);
          assert.ok(before.filter((e) => e.status_code === 429).length <= 3);
          break;
        }
        assert.equal(l.scenario, 'revoked_key');
        const fails = win.filter((e) => e.status_code === 401);
        assert.ok(fails.length >= 30, `${fails.length} 401s`);
        assert.ok(fails.every((e) => db.get(e.source_ip!)?.country_code === l.country));
        const key = file.keys.find((k) => k.api_key_id === l.api_key_id)!;
        assert.equal(key.status, 'revoked');
        assert.ok(key.revoked_at! < l.start);
        assert.ok(!events.some((e) => e.api_key_id === l.api_key_id && e.status_code === 200 && e.occurred_at >= key.revoked_at!), 'no success after revocation');
        break;
      }
      case 'geo_anomaly': {
        const foreign = events.filter((e) => e.api_key_id === l.api_key_id && db.get(e.source_ip!)?.country_code === l.country);
        assert.ok(foreign.length >= 3, `${l.kind}: ${foreign.length} events from ${l.country}`);
        assert.ok(foreign.every((e) => e.occurred_at >= l.start && e.occurred_at < l.end), 'the new country appears only in the window');
        if (l.kind === 'impossible_travel') {
          assert.ok(l.km! > 5_000);
          const mine = win.filter((e) => e.principal_id === l.principal_id).sort((a, b) => a.occurred_at - b.occurred_at);
          const firstAway = mine.findIndex((e) => db.get(e.source_ip!)?.country_code === l.country);
          assert.ok(firstAway > 0, 'seen at home first, then far away');
          assert.ok(mine[firstAway]!.occurred_at - mine[0]!.occurred_at < 30 * 60_000);
        }
        break;
      }
    }
  }
});

test('controls stay benign and PII canaries are exactly what the prompts carry', () => {
  for (const c of file.controls.filter((c) => c.kind === 'few_401s')) {
    const fails = events.filter((e) => e.api_key_id === c.api_key_id && e.status_code === 401);
    assert.ok(fails.length >= 3 && fails.length <= 5, `${fails.length} 401s`);
  }
  const withText = events.filter((e) => e.prompt !== null);
  assert.ok(events.filter((e) => e.status_code === 200).every((e) => e.prompt !== null), 'every answered call carries its prompt');
  const texts = withText.map((e) => `${e.prompt}\n${e.completion ?? ''}`).join('\n');
  assert.ok(file.canaries.length > 50);
  for (const c of file.canaries.slice(0, 200)) assert.ok(texts.includes(c), c);
  assert.ok(file.canaries.some((c) => /^AKIA/.test(c)) && file.canaries.some((c) => c.startsWith('sk-proj-')));
  const quiet = [...new Simulation({ ...opts, piiRate: 0, text: false, attacks: false }).events()];
  assert.ok(quiet.every((e) => e.prompt === null && e.completion === null));
});
