import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureEvent, series } from '../detector.js';
import { runDetectors } from '../replay.js';
import { createHmac } from 'node:crypto';
import { config, detector, hmac48 } from './duplicate-requests.js';

const T0 = Date.UTC(2026, 0, 5, 9);
let n = 0;
const call = (t: number, over: Parameters<typeof fixtureEvent>[0] | object = {}) => fixtureEvent({ occurred_at: t, api_key_id: 'key_d', request_id: `req_${n++}`, ...over });
/** Ordinary traffic: every call its own request id, a prompt on every other call. */
const background = (from: number, to: number, every = 5_000) => series(from, to, every, (t, i) => call(t, i % 2 ? { prompt: `Classify ticket ${i} into billing, bug or feature request.` } : {}));
const ENV = { LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY: 'test-fingerprint-key-0123456789' };

test('config parses from the environment and rejects nonsense', () => {
  assert.equal(config.fromEnv({ LLM_AUDIT_DUPLICATE_MIN_COPIES: '8' }).minCopies, 8);
  assert.throws(() => config.fromEnv({ LLM_AUDIT_DUPLICATE_MIN_COPIES: '1' }), /minCopies/);
});

test('a retry loop on one request id fires once the copies reach minCopies, amid busy traffic', async () => {
  const loop = series(T0 + 600_000, T0 + 700_000, 1_000, (t) => call(t, { request_id: 'req_stuck' }));
  const alerts = await runDetectors([detector], [...background(T0, T0 + 1_200_000, 700), ...loop], ENV);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.equal(a.kind, 'replayed_request');
  assert.equal(a.first_seen, T0 + 604_000, 'the fifth copy');
  assert.equal(a.evidence.matched_by, 'request_id');
  // a lower bound: in traffic this busy the item shares its slots with ordinary calls
  assert.ok((a.evidence.copies as number) >= 5 && a.count >= 50, `copies ${a.evidence.copies}, count ${a.count}`);
});

test('a replay with fresh request ids is caught by its prompt fingerprint; the text is not in the alert', async () => {
  const prompt = 'You are our refunds assistant. Approve or reject this refund request for order 1182.';
  const replayed = series(T0 + 900_000, T0 + 940_000, 2_000, (t) => call(t, { prompt }));
  const alerts = await runDetectors([detector], [...background(T0, T0 + 1_200_000), call(T0 + 1_000, { prompt }), ...replayed], ENV);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]!.evidence.matched_by, 'prompt_fingerprint');
  assert.ok(!JSON.stringify(alerts[0]).includes('refund'), 'no prompt text');
});

test('two or three retries of a failed call, and copies spread wider than the window, stay quiet', async () => {
  const prompt = 'Give me three subject lines for our spring newsletter about gardening.';
  const retries = [0, 2_000, 6_000].map((d, i) => call(T0 + 300_000 + d, { request_id: 'req_r', prompt, status_code: i < 2 ? 500 : 200 }));
  // the same prompt once every five minutes: a daily report, not a replay
  const slow = series(T0, T0 + 3_600_000, 300_000, (t) => call(t, { prompt: 'Produce the hourly status summary of the support queue for the team.' }));
  assert.deepEqual(await runDetectors([detector], [...background(T0, T0 + 3_600_000), ...retries, ...slow], ENV), []);
});

test('short prompts are not fingerprinted; state stays within its slots', async () => {
  const alerts = await runDetectors([detector], series(T0, T0 + 60_000, 1_000, (t) => call(t, { prompt: 'continue' })), ENV);
  assert.deepEqual(alerts, []);
  const inst = detector.create(config.parse({ slots: 3 }), { allowedLatenessMs: 0 });
  let s: number[] | undefined;
  for (let i = 0; i < 1_000; i++) s = inst.observe({ event: call(T0 + i * 100), t: T0 + i * 100, now: T0 + i * 100, late: false, geo: null, allowedCountries: null, doc: {} }, s, () => {});
  assert.equal(s!.length, 12);
});

test('the fingerprint is createHmac\'s HMAC-SHA256 (first 6 bytes), for any text and key length', () => {
  const texts = ['', 'a', 'Summarise ticket 12 for the weekly report, please.', 'caf\u00e9 \u{1F468}\u200D\u{1F469} \u0645\u0631\u062D\u0628\u0627', 'lone \ud800 high, lone \udfff low, \udfff\ud800 reversed', 'x'.repeat(340), '\u00e9'.repeat(700), 'y'.repeat(30_000), 'z\u00e9'.repeat(40_000)];
  for (const key of [Buffer.from('k'), Buffer.from('test-fingerprint-key-0123456789'), Buffer.alloc(64, 3), Buffer.alloc(65, 4), Buffer.alloc(200, 5)]) {
    const f = hmac48(key);
    for (const t of texts) assert.equal(f(t), 2 ** 48 + createHmac('sha256', key).update(t).digest().readUIntBE(0, 6), `key of ${key.length} bytes, text of ${t.length} units`);
  }
});
