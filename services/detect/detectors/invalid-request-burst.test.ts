import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureEvent, series } from '../detector.js';
import { runDetectors } from '../replay.js';
import { classify, config, detector } from './invalid-request-burst.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const ok = (from: number, to: number, every = 5_000, over = {}) => series(from, to, every, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_b', ...over }));
const fail = (from: number, n: number, every: number, status: number, over = {}) =>
  series(from, from + n * every, every, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_b', status_code: status, output_tokens: 0, ...over }));

test('status classes', () => {
  assert.deepEqual([401, 403, 400, 404, 422, 429, 200, 500].map(classify), [0, 0, 1, 1, 1, 2, null, null]);
});

test('config thresholds per class come from the environment', () => {
  const c = config.fromEnv({ LLM_AUDIT_BURST_AUTH_FAILURES: '3', LLM_AUDIT_BURST_MIN_RATIO: '0.5' });
  assert.equal(c.authFailures, 3);
  assert.equal(c.minRatio, 0.5);
  assert.throws(() => config.fromEnv({ LLM_AUDIT_BURST_MIN_RATIO: '2' }), /<= 1/);
});

const cases = [
  { status: 401, kind: 'auth_failures', n: 30, severity: 'high', meaning: /revoked or stolen/ },
  { status: 400, kind: 'invalid_requests', n: 50, severity: 'low', meaning: /broken client/ },
  { status: 429, kind: 'rate_limited', n: 80, severity: 'medium', meaning: /quota/ },
];
for (const c of cases) {
  test(`a burst of ${c.status} is classified ${c.kind}`, async () => {
    const alerts = await runDetectors([detector], [...ok(T0, T0 + 1_800_000), ...fail(T0 + 600_000, c.n, 1_000, c.status, { source_ip: '111.0.0.186' })]);
    assert.equal(alerts.length, 1, JSON.stringify(alerts.map((a) => a.kind)));
    const a = alerts[0]!;
    assert.equal(a.kind, c.kind);
    assert.equal(a.severity, c.severity);
    assert.match(a.message, c.meaning);
    assert.equal(a.source_ip, '111.0.0.186');
    assert.equal(a.country, 'CN');
    assert.ok(a.count > 1, 'one incident, updated');
    assert.ok(a.first_seen - (T0 + 600_000) < 60_000, 'within a minute of the burst start');
  });
}

test('a few scattered failures stay quiet', async () => {
  const events = [...ok(T0, T0 + 3_600_000), ...[5, 9, 14, 22, 31].map((m) => fixtureEvent({ occurred_at: T0 + m * 60_000 + 1, api_key_id: 'key_b', status_code: 401 }))];
  assert.deepEqual(await runDetectors([detector], events), []);
});

test('on a busy key, failures from one IP are judged by that IP\'s share', async () => {
  // 4 requests/s of healthy traffic dwarf 15 401s in 30 s; from their own IP they are all failures
  const busy = ok(T0, T0 + 900_000, 250);
  const probe = fail(T0 + 600_000, 15, 2_000, 401, { source_ip: '111.0.0.186' });
  const alerts = await runDetectors([detector], [...busy, ...probe]);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.evidence.source_ip_ratio, 1);
  assert.ok((alerts[0]!.evidence.ratio as number) < 0.3);
  // the same failures spread over the key's own IPs are noise
  const spread = fail(T0 + 600_000, 15, 2_000, 401);
  assert.deepEqual(await runDetectors([detector], [...busy, ...spread]), []);
});

test('state is dropped once a key has no recent failures', () => {
  const inst = detector.create(config.parse({}), { allowedLatenessMs: 60_000 });
  const ev = (t: number, status: number) => ({ event: fixtureEvent({ occurred_at: t, status_code: status }), t, now: t, late: false, geo: null, allowedCountries: null, doc: {} });
  assert.equal(inst.observe(ev(T0, 200), undefined, () => {}), undefined, 'healthy keys hold nothing');
  const s = inst.observe(ev(T0, 401), undefined, () => {});
  assert.ok(s);
  assert.equal(inst.expire!(s, T0 + 600_000), undefined);
});
