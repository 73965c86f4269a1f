import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { MetricsRegistry } from '../common/metrics.js';
import type { AuditRecord, UsageEvent } from '../common/types.js';
import { loadTokenizeSettings } from './config.js';
import { parseKeyring, tokenizeText, type Bound } from './index.js';
import { LIMITS } from './normalize.js';
import { TokenizeStage } from './stage.js';

const b64 = () => randomBytes(32).toString('base64');
const ring = parseKeyring(`k1:${b64()}`, 'test key');
const mailB64 = (n: number) => Buffer.from('mail jane.doe@example.com '.repeat(n)).toString('base64');

/** A field just over each bound normalize.ts reports, and a field of the same kind under it. */
const OVER: Record<Bound, string> = {
  decodeDepth: 'mail jane%252525252540example.com',
  rewrites: '%41 '.repeat(LIMITS.rewrites + 1),
  clusters: '\u2460'.repeat(LIMITS.clusters + 1),
  growth: '\ufdfa'.repeat(1000),
  lineJoins: 'a1\nb2\n'.repeat(LIMITS.lineJoins),
  base64MaxChars: mailB64(Math.ceil(LIMITS.base64MaxChars / 19)),
  base64Budget: Array.from({ length: 8 }, () => mailB64(Math.floor(LIMITS.base64MaxChars / 36))).join(' '),
  base64Segments: Array.from({ length: LIMITS.base64Segments + 1 }, () => mailB64(1)).join(' '),
};
const UNDER: Record<Bound, string> = {
  decodeDepth: 'mail jane%25252540example.com',
  rewrites: '%41 '.repeat(100),
  clusters: '\u2460'.repeat(100),
  growth: '\ufdfa'.repeat(10),
  lineJoins: 'a1\nb2\n'.repeat(LIMITS.lineJoins / 4),
  base64MaxChars: mailB64(10),
  base64Budget: Array.from({ length: 2 }, () => mailB64(100)).join(' '),
  base64Segments: Array.from({ length: 10 }, () => mailB64(1)).join(' '),
};

test('tokenizeText says which bounds stopped work on a field, and none for a field under them', () => {
  for (const bound of Object.keys(OVER) as Bound[]) {
    assert.ok(tokenizeText(OVER[bound], ring).bounded.includes(bound), `${bound} over`);
    assert.deepEqual(tokenizeText(UNDER[bound], ring).bounded, [], `${bound} under`);
  }
  assert.deepEqual(tokenizeText('mail jane@example.com, card 4111 1111 1111 1111', ring).bounded, []);
});

test('a card wrapped after the line breaks lineJoins looks at is not found across the break, and that is reported', () => {
  const decoys = 'ab1\ncd2\n'.repeat(LIMITS.lineJoins);
  const r = tokenizeText(`${decoys}card 4111 1111\n1111 1111`, ring);
  // the known gap of a bounded pass: no card across the break (the first half may be read as a phone of its own, the
  // second stays as written), but it is reported
  assert.ok(!r.entities.some((e) => e.type === 'CREDIT_CARD'));
  assert.ok(r.text.endsWith('\n1111 1111'));
  assert.deepEqual(r.bounded, ['lineJoins']);
  // before the bound, the same card is found across its break
  assert.ok(tokenizeText('card 4111 1111\n1111 1111', ring).entities.some((e) => e.type === 'CREDIT_CARD'));
});

test('stage: a field over each bound increments llm_audit_tokenize_bounded_total{bound}, a field under it does not', async () => {
  const event = (prompt: string): UsageEvent => ({
    event_id: 'e1', occurred_at: 1, gateway_id: 'gw', environment: 'prod', provider: 'openai', operation: 'chat.completions', model: 'gpt-4o',
    model_version: null, api_key_id: 'key_1', principal_id: 'user-a2b73a', source_ip: '10.0.0.1', user_agent: 'openai-node/4.71.1', status_code: 200,
    error_code: null, input_tokens: 1, output_tokens: 1, latency_ms: 1, request_id: 'req_1', prompt, completion: null,
  });
  const metrics = new MetricsRegistry();
  const stage = new TokenizeStage(loadTokenizeSettings({ LLM_AUDIT_TOKENIZE_KEYS: `k1:${b64()}`, LLM_AUDIT_TOKENIZE_MAX_FIELD_BYTES: String(1 << 20) }), undefined, metrics);
  const bounds = Object.keys(OVER) as Bound[];
  const records: AuditRecord[] = [...bounds.map((b) => OVER[b]), ...bounds.map((b) => UNDER[b])].map((p, i) => ({ event: event(p), doc: {}, alerts: [], partition: 0, offset: String(i) }));
  await stage.process(records);
  for (const bound of bounds) assert.equal(metrics.counterValue('llm_audit_tokenize_bounded_total', { bound }), 1, bound);
  // a metadata value over a bound is counted every time it is seen (the value cache does not keep it)
  const wrapped = '1\n'.repeat(LIMITS.lineJoins + 1);
  const meta = [0, 1].map((i): AuditRecord => ({ event: { ...event('hi'), user_agent: wrapped }, doc: {}, alerts: [], partition: 0, offset: String(100 + i) }));
  await stage.process(meta);
  assert.equal(metrics.counterValue('llm_audit_tokenize_bounded_total', { bound: 'lineJoins' }), 3);
});
