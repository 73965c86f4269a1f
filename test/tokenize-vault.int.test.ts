import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { MetricsRegistry } from '../services/common/metrics.js';
import { TransientError } from '../services/common/errors.js';
import { createEs } from '../services/common/es.js';
import type { AuditRecord, UsageEvent } from '../services/common/types.js';
import { command as revealCmd } from '../services/cli/commands/reveal.js';
import { loadTokenizeSettings } from '../services/tokenize/config.js';
import { TokenizeStage } from '../services/tokenize/stage.js';
import { eraseToken, readVault } from '../services/tokenize/vault.js';
import { testCore, testEs, uniqueName } from './helpers.js';

const es = testEs();
const vaultIndex = uniqueName('llm-audit-test-vault');
const auditIndex = uniqueName('llm-audit-test-reveal-audit');
const k1 = randomBytes(32).toString('base64');
const r1 = randomBytes(32).toString('base64');
const env = {
  LLM_AUDIT_TOKENIZE_KEYS: `k1:${k1}`, LLM_AUDIT_REVEAL_KEY: `r1:${r1}`, LLM_AUDIT_VAULT_ENABLED: 'true',
  LLM_AUDIT_VAULT_INDEX: vaultIndex, LLM_AUDIT_REVEAL_AUDIT_INDEX: auditIndex, ELASTICSEARCH_URL: testCore().elasticsearchUrl,
};

after(async () => {
  await es.indices.delete({ index: [vaultIndex, auditIndex] }, { ignore: [404] });
  await es.close();
});

const event = (prompt: string): UsageEvent => ({
  event_id: 'e', occurred_at: 1, gateway_id: 'gw', environment: 'prod', provider: 'openai', operation: 'chat.completions', model: 'gpt-4o',
  model_version: null, api_key_id: 'key_1', principal_id: 'user-1', source_ip: null, user_agent: null, status_code: 200, error_code: null,
  input_tokens: 1, output_tokens: 1, latency_ms: 1, request_id: null, prompt, completion: null,
});

async function runCli(argv: string[], extraEnv: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => (stdout += d));
  err.on('data', (d) => (stderr += d));
  const code = await revealCmd.run(argv, { stdin: new PassThrough(), stdout: out, stderr: err, env: { ...env, ...extraEnv } });
  return { code, stdout, stderr };
}

test('vault: stage stores encrypted originals idempotently; reveal is audited; erasure by token and by key version', async () => {
  const settings = loadTokenizeSettings(env);
  const stage = new TokenizeStage(settings, es, new MetricsRegistry());
  await stage.start();
  const recs: AuditRecord[] = ['mail jane.roe@example.com', 'again jane.roe@example.com and 4111 1111 1111 1111'].map((p, i) => ({ event: event(p), doc: {}, alerts: [], partition: 0, offset: String(i) }));
  await stage.process(recs);
  // a replay of the same batch is a no-op for the vault (doc id = token, create)
  const replay = new TokenizeStage(settings, es, new MetricsRegistry());
  await replay.process([{ event: event('jane.roe@example.com'), doc: {}, alerts: [], partition: 0, offset: '9' }]);
  await es.indices.refresh({ index: vaultIndex });
  const count = await es.count({ index: vaultIndex });
  assert.equal(count.count, 2);
  const emailToken = (recs[0]!.doc.llm_audit as { pii: { tokens: string[] } }).pii.tokens[0]!;
  const stored = await readVault(es, vaultIndex, emailToken);
  assert.ok(stored && !JSON.stringify(stored).includes('jane'));

  const r = await runCli([emailToken, '--reason', 'DSAR-42', '--actor', 'alice']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'jane.roe@example.com');
  const audits = await es.search<{ token: string; reason: string; user: { name: string }; event: { outcome: string } }>({ index: auditIndex, query: { term: { token: emailToken } } });
  assert.equal(audits.hits.hits.length, 1);
  const a = audits.hits.hits[0]!._source!;
  assert.deepEqual([a.user.name, a.reason, a.event.outcome], ['alice', 'DSAR-42', 'revealed']);
  assert.ok(!JSON.stringify(a).includes('jane.roe'));

  await assert.rejects(() => revealCmd.run([emailToken], { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env }), /--reason is required/);

  // erasure by key version: without k1 (rotated to k2, k1 deleted) the entry cannot be read
  const rotated = await runCli([emailToken, '--reason', 'check erasure'], { LLM_AUDIT_TOKENIZE_KEYS: `k2:${randomBytes(32).toString('base64')}` });
  assert.equal(rotated.code, 1);
  assert.match(rotated.stderr, /k1 is not configured/);
  assert.equal(rotated.stdout, '');

  // erasure of one value
  assert.equal(await eraseToken(es, emailToken, vaultIndex), true);
  assert.equal(await eraseToken(es, emailToken, vaultIndex), false);
  const gone = await runCli([emailToken, '--reason', 'after erase']);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /no vault entry/);
  const outcomes = await es.search<{ event: { outcome: string } }>({ index: auditIndex, size: 10, query: { term: { token: emailToken } }, sort: [{ '@timestamp': 'asc' }] });
  assert.deepEqual(outcomes.hits.hits.map((h) => h._source!.event.outcome), ['revealed', 'unreadable', 'not_found']);
});

test('vault: Elasticsearch down is a TransientError from process()', async () => {
  const settings = loadTokenizeSettings(env);
  const down = createEs({ elasticsearchUrl: 'http://127.0.0.1:1', elasticsearchUsername: undefined, elasticsearchPassword: undefined });
  const stage = new TokenizeStage(settings, down, new MetricsRegistry());
  await assert.rejects(() => stage.process([{ event: event('x jane@example.com'), doc: {}, alerts: [], partition: 0, offset: '1' }]), (e: unknown) => e instanceof TransientError && e.retriable);
  await down.close();
});
