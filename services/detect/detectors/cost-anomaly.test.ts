import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixtureEvent, series } from '../detector.js';
import { runDetectors } from '../replay.js';
import { config, detector } from './cost-anomaly.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const H = 3_600_000;
const calls = (from: number, to: number, model: string, every = 20_000, key = 'key_c') =>
  series(from, to, every, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: key, model, input_tokens: 150 + ((i * 37) % 100), output_tokens: 60 + ((i * 53) % 50) }));

test('config parses from the environment and rejects nonsense', () => {
  assert.equal(config.fromEnv({ LLM_AUDIT_COST_ESCALATION_FACTOR: '20' }).escalationFactor, 20);
  assert.throws(() => config.fromEnv({ LLM_AUDIT_COST_FACTOR: '0.5' }), /factor/);
});

test('a move to a model 6x the price per token at the same tokens is a cost_spike, not an escalation', async () => {
  const alerts = await runDetectors([detector], [...calls(T0, T0 + 2 * H, 'gpt-4o'), ...calls(T0 + 2 * H, T0 + 2 * H + 600_000, 'o1', 10_000)]);
  assert.deepEqual(alerts.map((a) => a.kind), ['cost_spike']);
  const a = alerts[0]!;
  assert.ok(a.first_seen - (T0 + 2 * H) <= 60_000, `after ${a.first_seen - (T0 + 2 * H)} ms`);
  assert.ok((a.evidence.usd_per_token_x as number) >= 3 && (a.evidence.tokens_x as number) < 3);
});

test('a cheap key calling a model 100x the price is a model_escalation (and only that)', async () => {
  const alerts = await runDetectors([detector], [...calls(T0, T0 + 2 * H, 'gpt-4o-mini'), ...calls(T0 + 2 * H, T0 + 3 * H, 'o1')]);
  assert.deepEqual(alerts.map((a) => a.kind), ['model_escalation']);
  assert.equal(alerts[0]!.severity, 'high');
  assert.equal(alerts[0]!.evidence.price_x, 100);
  // the third call of it in the window, a share of the key's calls: a move, not a mix
  const delay = alerts[0]!.first_seen - (T0 + 2 * H);
  assert.ok(delay >= 40_000 && delay <= 90_000, `after ${delay} ms`);
});

test('an occasional call of a pricier model among cheap ones is a mix, not an escalation or a cost spike', async () => {
  const mix = calls(T0, T0 + 4 * H, 'gpt-4o-mini', 10_000).map((e, i) => ((i * 7919) % 100 < 4 ? { ...e, model: i % 2 ? 'gpt-4o' : 'gpt-4.1' } : e));
  assert.deepEqual(await runDetectors([detector], mix), []);
});

test('quiet: an expensive key as usual, a key that learned both models, doubled traffic, a new key, unpriced models', async () => {
  const mixed = [...calls(T0, T0 + 3 * H, 'gpt-4o-mini', 20_000, 'key_mixed'), ...calls(T0 + 600_000, T0 + 3 * H, 'gpt-4o', 600_000, 'key_mixed')];
  const doubled = [...calls(T0, T0 + 3 * H, 'gpt-4o', 20_000, 'key_double'), ...calls(T0 + H, T0 + 3 * H, 'gpt-4o', 20_000, 'key_double').map((e) => ({ ...e, occurred_at: e.occurred_at + 9_000 }))];
  const fresh = calls(T0 + 2 * H, T0 + 3 * H, 'o1', 20_000, 'key_new');
  const unpriced = [...calls(T0, T0 + 2 * H, 'gpt-4o-mini', 20_000, 'key_x'), ...calls(T0 + 2 * H, T0 + 3 * H, 'my-finetune-9000', 20_000, 'key_x')];
  assert.deepEqual(await runDetectors([detector], [...calls(T0, T0 + 3 * H, 'o1', 20_000, 'key_rich'), ...mixed, ...doubled, ...fresh, ...unpriced]), []);
});

test('the price table is the attribute stage\'s, overridable by file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prices-'));
  const file = join(dir, 'prices.json');
  // an in-house model priced like o1
  writeFileSync(file, JSON.stringify({ models: { 'house-large': { input: 0.015, output: 0.06 } } }));
  const events = [...calls(T0, T0 + 2 * H, 'gpt-4o-mini'), ...calls(T0 + 2 * H, T0 + 3 * H, 'house-large')];
  assert.deepEqual(await runDetectors([detector], events), []);
  assert.deepEqual((await runDetectors([detector], events, { LLM_AUDIT_PRICE_FILE: file })).map((a) => a.kind), ['model_escalation']);
});

test('embeddings are off the ladder, by model name or operation (any case), remembered per model and operation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prices-'));
  const file = join(dir, 'prices.json');
  writeFileSync(file, JSON.stringify({ models: { 'house-Embedding-xl': { input: 0.015, output: 0.06 }, 'house-large': { input: 0.015, output: 0.06 } } }));
  const env = { LLM_AUDIT_PRICE_FILE: file };
  const kinds = async (events: ReturnType<typeof calls>) => (await runDetectors([detector], events, env)).map((a) => a.kind);
  const cheap = calls(T0, T0 + 2 * H, 'gpt-4o-mini');
  assert.ok(!(await kinds([...cheap, ...calls(T0 + 2 * H, T0 + 3 * H, 'house-Embedding-xl')])).includes('model_escalation'));
  const asEmbeddings = calls(T0 + 2 * H, T0 + 3 * H, 'house-large').map((e) => ({ ...e, operation: 'Embeddings' }));
  assert.ok(!(await kinds([...cheap, ...asEmbeddings])).includes('model_escalation'));
  // the same model as a chat call escalates (after the embedding calls above taught the memos nothing wrong)
  assert.deepEqual(await kinds([...cheap, ...asEmbeddings.slice(0, 3), ...calls(T0 + 2 * H + 70_000, T0 + 3 * H, 'house-large')]), ['model_escalation']);
});
