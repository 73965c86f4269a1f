import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureEvent, series } from '../detector.js';
import { runDetectors } from '../replay.js';
import { config, detector } from './geo-anomaly.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const H = 3_600_000;
const GB = '81.2.69.142'; // Bracknell
const DE = '176.0.0.106'; // Berlin
const AR = '138.0.56.74'; // Lomas de Zamora
const RU = '46.0.0.51'; // Samara
const home = (to = T0 + 2 * H, over = {}) => series(T0, to, 60_000, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: 'key_g', principal_id: 'user-1', source_ip: i % 4 ? GB : DE, ...over }));
const at = (t: number, ip: string, over = {}) => fixtureEvent({ occurred_at: t, api_key_id: 'key_g', principal_id: 'user-1', source_ip: ip, ...over });

test('config: allowed countries need key:CC|CC', () => {
  assert.deepEqual(config.fromEnv({ LLM_AUDIT_GEO_DENY_COUNTRIES: 'KP, IR' }).denyCountries, ['KP', 'IR']);
  assert.throws(() => detector.create(config.parse({ allowedCountries: ['US'] }), { allowedLatenessMs: 0 }), /<api_key_id>:<CC>/);
});

test('a new country after learning raises new_country and impossible_travel, one incident each', async () => {
  const alerts = await runDetectors([detector], [...home(), at(T0 + 2 * H + 20_000, AR), at(T0 + 2 * H + 80_000, AR), at(T0 + 2 * H + 90_000, GB)]);
  const byKind = Object.fromEntries(alerts.map((a) => [a.kind, a]));
  assert.deepEqual(Object.keys(byKind).sort(), ['impossible_travel', 'new_country']);
  const nc = byKind.new_country!;
  assert.equal(nc.country, 'AR');
  assert.equal(nc.count, 2, 'the second call from AR is evidence of the same incident');
  assert.deepEqual(nc.evidence.known_countries, ['DE', 'GB']);
  const it = byKind.impossible_travel!;
  assert.equal(it.principal_id, 'user-1');
  assert.ok((it.evidence.distance_km as number) > 10_000);
  assert.ok((it.evidence.speed_kmh as number) > 900);
});

test('during learning nothing is new', async () => {
  assert.deepEqual(await runDetectors([detector], [...home(T0 + 30 * 60_000), at(T0 + 30 * 60_000 + 5_000, AR)]), []);
});

test('travel between familiar countries is not impossible travel; a plausible trip is quiet', async () => {
  // GB <-> DE every minute for two hours is the multi-region normal of this key
  const events = home();
  // AR eighteen hours later: a new country, but a possible trip
  const later = [...series(T0 + 2 * H, T0 + 20 * H, 3_600_000, (t) => at(t, GB)), at(T0 + 20 * H + 18 * H, AR)];
  const alerts = await runDetectors([detector], [...events, ...later]);
  assert.deepEqual(alerts.map((a) => a.kind), ['new_country']);
});

test('a denied country alerts at once, even while learning', async () => {
  const alerts = await runDetectors([detector], [at(T0, GB), at(T0 + 1_000, RU)], { LLM_AUDIT_GEO_DENY_COUNTRIES: 'RU' });
  assert.deepEqual(alerts.map((a) => [a.kind, a.severity, a.country]), [['denied_country', 'critical', 'RU']]);
});

test('allowed countries: outside alerts from the first call, inside never', async () => {
  const env = { LLM_AUDIT_GEO_ALLOWED_COUNTRIES: 'key_g:GB|DE' };
  const out = await runDetectors([detector], [at(T0, GB), at(T0 + 60_000, AR)], env);
  assert.deepEqual(out.map((a) => [a.kind, a.evidence.reason]), [['new_country', 'outside_allowed_countries'], ['impossible_travel', undefined]]);
  const inside = await runDetectors([detector], [...home(), at(T0 + 2 * H + 20_000, GB)], env);
  assert.deepEqual(inside, []);
});

test('401s are left to invalid_request_burst', async () => {
  assert.deepEqual(await runDetectors([detector], [...home(), at(T0 + 2 * H + 20_000, AR, { status_code: 401 })]), []);
});
