import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsRegistry } from '../services/common/metrics.js';
import { repoRoot } from '../services/common/paths.js';
import type { AuditRecord, UsageEvent } from '../services/common/types.js';
import { resolveIndices, tokenizeConfig } from '../services/tokenize/config.js';
import { parseKeyring, tokenizeText } from '../services/tokenize/index.js';
import { TokenizeStage } from '../services/tokenize/stage.js';

/** Documents per second on one core: tokenizeText alone, and the whole stage (doc fields, metadata fields, counters). */
const file = join(repoRoot(), '..', 'shared', 'data', 'pii-dev.jsonl');
const texts = existsSync(file)
  ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text)
  : Array.from({ length: 1500 }, (_, i) => `Customer Jane Doe (jane${i}@example.com) paid with 4111 1111 1111 1111 from 10.0.${i % 256}.1, order ORD-${1000 + i}.`);
const keyring = parseKeyring(`b1:${randomBytes(32).toString('base64')}`, 'bench key');
const seconds = Number(process.env.BENCH_SECONDS ?? 3);

function run(name: string, fn: (t: string, i: number) => void): number {
  for (let i = 0; i < texts.length; i++) fn(texts[i]!, i);
  let n = 0;
  const t0 = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - t0 < limit) {
    for (let i = 0; i < texts.length; i++) fn(texts[i]!, n + i);
    n += texts.length;
  }
  const rate = n / (Number(process.hrtime.bigint() - t0) / 1e9);
  console.log(`${name.padEnd(30)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} docs/s/core  (${texts.length} docs${existsSync(file) ? ' from pii-dev.jsonl' : ', synthetic'})`);
  return rate;
}

run('tokenizeText', (t) => void tokenizeText(t, keyring));
// a fresh key per pass would defeat the token cache; the corpus is small enough that every value repeats, so also
// measure with the cache off by salting each pass with a new key ring
let ring = keyring;
run('tokenizeText (no token cache)', (t, i) => {
  if (i % texts.length === 0) ring = parseKeyring(`b1:${randomBytes(32).toString('base64')}`, 'bench key');
  tokenizeText(t, ring);
});
const stage = new TokenizeStage({ config: resolveIndices(tokenizeConfig.parse({ tokenizeKeys: 'x' })), keyring }, undefined, new MetricsRegistry());
const base: UsageEvent = {
  event_id: 'e', occurred_at: 0, gateway_id: 'gw', environment: 'prod', provider: 'openai', operation: 'chat.completions', model: 'gpt-4o',
  model_version: null, api_key_id: 'key_1', principal_id: 'user-a2b73a', source_ip: '10.0.0.1', user_agent: 'openai-node/4.71.1', status_code: 200,
  error_code: null, input_tokens: 1, output_tokens: 1, latency_ms: 1, request_id: 'req_1', prompt: null, completion: null,
};
run('stage (prompt + metadata)', (t) => {
  const r: AuditRecord = { event: { ...base, prompt: t }, doc: {}, alerts: [], partition: 0, offset: '0' };
  void stage.process([r]);
});
