import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../services/cli/main.js';
import { subjectTokens } from '../services/compliance/tokens.js';
import { ensureTopics } from '../services/common/kafka.js';
import { testEs, testKafka, uniqueName, deletePrefix } from './helpers.js';

const es = testEs();
const prefix = uniqueName('t-ccli');
const tmp = mkdtempSync(join(tmpdir(), 'llm-audit-cli-'));
const dlq = uniqueName('t-ccli-dlq');
const env = {
  ...process.env, LLM_AUDIT_INDEX_PREFIX: prefix, LLM_AUDIT_DLQ_TOPIC: dlq, LLM_AUDIT_TOKENIZE_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`, LLM_AUDIT_VAULT_INDEX: `${prefix}-vault`,
  LLM_AUDIT_REVEAL_AUDIT_INDEX: `${prefix}-reveal-audit`, LLM_AUDIT_SIGNING_KEY: 'cli-test-hmac-secret-0123456789abcdefghij', LLM_AUDIT_OPERATOR: 'cli-test', LOG_LEVEL: 'silent',
};

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  return runWith('', ...argv);
}

async function runWith(input: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const stdin = new PassThrough();
  stdin.end(input);
  const code = await main(argv, { stdin, stdout, stderr, env });
  return { code, out, err };
}

after(async () => {
  await deletePrefix(es, prefix);
  rmSync(tmp, { recursive: true, force: true });
  await es.close();
});

test('the operator path: setup, export, verify, seal, verify, hold, with exit codes', async () => {
  const s1 = await run('setup', '--json');
  assert.equal(s1.code, 0, s1.err);
  assert.ok((JSON.parse(s1.out) as { assets: { action: string }[] }).assets.every((a) => a.action === 'created'));
  const s2 = await run('setup');
  assert.equal(s2.code, 0);
  assert.doesNotMatch(s2.out, /^(created|updated)/m);

  const index = `${prefix}-events-2026.10.05`;
  await es.bulk({
    refresh: true,
    operations: [1, 2, 3].flatMap((i) => [{ index: { _index: index, _id: `e${i}` } }, { '@timestamp': `2026-10-05T0${i}:00:00Z`, event: { id: `e${i}` }, llm_audit: { owner: { team: 't' } } }]),
  });
  const out = join(tmp, 'x');
  const e = await run('export', '--from', '2026-10-05', '--to', '2026-10-05', '--out', out);
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /exported 3 documents in 1 file/);
  assert.equal(e.err, '', 'no progress bar off a terminal');
  assert.equal((await run('export', 'verify', out)).code, 0);
  const f = join(out, 'events-2026-10-05.ndjson');
  writeFileSync(f, readFileSync(f, 'utf8').replace('e2', 'e9'));
  const bad = await run('export', 'verify', out);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /FAIL events-2026-10-05\.ndjson: SHA-256/);
  assert.equal((await run('export', '--from', '2026-10-05', '--out', out)).code, 2, 'usage error');

  assert.equal((await run('integrity', 'seal', '--date', '2026-10-05')).code, 0);
  assert.equal((await run('integrity', 'verify', '--date', '2026-10-05')).code, 0);
  await es.delete({ index, id: 'e3', refresh: true });
  const v = await run('integrity', 'verify', '--date', '2026-10-05');
  assert.equal(v.code, 1);
  assert.match(v.out, /deleted: 1\n  e3\n[\s\S]*TAMPERED/);

  // a seal re-written without the signing key (--force) does not verify when a key is configured
  const day2 = `${prefix}-events-2026.10.07`;
  await es.index({ index: day2, id: 'f1', document: { '@timestamp': '2026-10-07T01:00:00Z', event: { id: 'f1' } }, refresh: true });
  assert.equal((await run('integrity', 'seal', '--date', '2026-10-07')).code, 0);
  const { LLM_AUDIT_SIGNING_KEY: _key, ...unkeyed } = env;
  const sink = new PassThrough();
  assert.equal(await main(['integrity', 'seal', '--date', '2026-10-07', '--force'], { stdin: new PassThrough(), stdout: sink, stderr: sink, env: unkeyed }), 0);
  const down = await run('integrity', 'verify', '--date', '2026-10-07');
  assert.equal(down.code, 1, down.out);
  assert.match(down.out, /signature unsigned[\s\S]*TAMPERED/);

  const h = await run('hold', 'add', '--team', 't', '--reason', 'case 7');
  assert.equal(h.code, 0, h.err);
  assert.match(h.out, /active .*team t .*by cli-test/);
  assert.match((await run('hold', 'list')).out, /case 7/);
  assert.equal((await run('hold', 'add', '--team', 't')).code, 1, 'a hold without a reason is refused');
});

test('subject find and erase from the command line, the value read from stdin', async () => {
  const token = subjectTokens(env).tokensFor('EMAIL', 'a.person@example.org')[0]!;
  const index = `${prefix}-events-2026.10.06`;
  await es.bulk({
    refresh: true,
    operations: [1, 2, 3].flatMap((i) => [{ index: { _index: index, _id: `s${i}` } }, { '@timestamp': `2026-10-06T0${i}:00:00Z`, event: { id: `s${i}` }, llm_audit: { pii: { tokens: i === 2 ? ['<EMAIL:k1:0000000000000000>'] : [token] } } }]),
  });
  // a tokenized dead letter carrying the token, and one that does not
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    await ensureTopics(admin, [{ topic: dlq, numPartitions: 1, replicationFactor: 1 }]);
    await producer.send({ topic: dlq, messages: [
      { value: `{"prompt":"mail ${token} please"}`, headers: { 'dlq.payload.encoding': 'tokenized;charset=utf-8' } },
      { value: '{"prompt":"nothing here"}', headers: { 'dlq.payload.encoding': 'tokenized;charset=utf-8' } },
    ] });
    const f = await runWith('A.Person@example.org\n', 'subject', 'find', '--email', '-');
    assert.equal(f.code, 0, f.err);
    const lines = f.out.trim().split('\n');
    assert.deepEqual(lines.filter((l) => l.includes('-events-')).map((l) => l.split(/\s+/)[2]), ['s1', 's3']);
    assert.match(f.err, /2 event\(s\) carry the EMAIL token/);
    assert.deepEqual(lines.filter((l) => l.includes('dead letter')).map((l) => l.split(/\s+/).slice(1, 3).join(' ')), [`${dlq} 0/0`], 'subject find reports the dead-letter copy');
    assert.match(f.err, /1 dead-letter copy\(ies\) in .* \(2 scanned\)/);
    assert.doesNotMatch(f.out + f.err, /a\.person/i, 'the value is not echoed');
    const e = await run('subject', 'erase', '--type', 'email', '--value', 'a.person@example.org', '--reason', 'GDPR');
    assert.equal(e.code, 0, e.err);
    assert.match(e.out, /erased 0 original\(s\)[\s\S]*2 audit document\(s\) keep[\s\S]*1 dead-letter copy\(ies\) in \S+; its retention is \d+ ms( \(lowered now\))?, all gone by 20/);
    const cfg = await admin.describeConfigs({ resources: [{ type: 2, name: dlq, configNames: ['retention.ms', 'segment.ms'] }], includeSynonyms: false });
    const got = Object.fromEntries(cfg.resources[0]!.configEntries.map((c) => [c.configName, Number(c.configValue)]));
    const bound = 30 * 86_400_000;
    assert.ok(got['retention.ms']! > 0 && got['retention.ms']! <= bound && got['segment.ms']! <= bound / 10, `the retention bound is enforced on the topic: ${JSON.stringify(got)}`);
  } finally {
    await producer.disconnect();
    await admin.deleteTopics({ topics: [dlq] }).catch(() => undefined);
    await admin.disconnect();
  }
  assert.equal((await run('subject', 'find', '--email', 'x@y.z', '--phone', '1')).code, 2);
  assert.equal((await run('subject', 'find', '--type', 'SHOE_SIZE', '--value', '44')).code, 1);
});
