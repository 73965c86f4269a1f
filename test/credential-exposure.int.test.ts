import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertDecoder, fromAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { base62, crc32 } from '../services/tokenize/credentials/rule.js';
import { waitFor } from './helpers.js';
import { makeEvent, TestStack } from './pipeline-harness.js';

// fake credentials, assembled at run time
const awsKeyId = ['AK', 'IA', 'QYLPMN5HHHFPZAM2'].join('');
const slackToken = ['xox', 'b-', '2048151092-', '4120398123775-', 'Zq8vB3kXwT6yLp0mNc4RsUaE'].join('');
const ghBody = 'Zx9QwErTyUiOpAsDfGhJkLzXcVbNm1';
const githubToken = ['gh', 'p_', ghBody, base62(crc32(ghBody), 6)].join('');
const sshPublic = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHJdqfRKJkfRxasauiHOrn3c9VSMO1oJDvweL390r4IX me@laptop';

test('through real Kafka and Elasticsearch: credential_exposure alerts carry tokens, dead letters carry no raw value', async () => {
  const stack = new TestStack('cred-exposure');
  try {
    const leak = [
      makeEvent({ api_key_id: 'key_int_leak', principal_id: 'alice', prompt: `boto says denied, aws_access_key_id = ${awsKeyId}` }),
      makeEvent({ api_key_id: 'key_int_leak', principal_id: 'alice', prompt: 'which bot token?', completion: `Use ${slackToken} as SLACK_BOT_TOKEN.` }),
      makeEvent({ api_key_id: 'key_int_leak', principal_id: 'alice', prompt: `again: ${awsKeyId}` }),
    ];
    const benign = [makeEvent({ api_key_id: 'key_int_benign', prompt: `add ${sshPublic}; set OPENAI_API_KEY=sk-... and api_key = "YOUR_API_KEY"`, completion: 'Send Authorization: Bearer <token>.' })];
    // fails validation after Avro decoding (status 999): its 40-character token sat right behind an Avro length byte
    const invalid = makeEvent({ api_key_id: 'key_int_dlq', status_code: 999, prompt: githubToken, model: 'ops@example.com' });
    await stack.startPipeline({ config: { stages: ['tokenize', 'detect'] } });
    await stack.produceEvents([...leak, ...benign, invalid]);
    await stack.produceRaw([{ key: 'garbage', value: Buffer.from(`\u0000\u0000\u0000\u0000\u0001 not avro ${githubToken}`, 'latin1') }]);
    await waitFor(async () => stack.metrics.stage('index').sent >= leak.length + benign.length, { timeoutMs: 60_000, what: 'events indexed' });

    await waitFor(async () => (await stack.countDocs('alerts')) >= 2, { timeoutMs: 30_000, what: 'two alerts indexed' });
    await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-alerts-*` });
    const r = await stack.es.search<Record<string, unknown>>({ index: `${stack.core.indexPrefix}-alerts-*`, size: 20 });
    const docs = r.hits.hits.map((h) => h._source as { rule: { name: string }; llm_audit: { api_key: { id: string }; alert: { kind: string; severity: string; count: number }; evidence: Record<string, string> }; user?: { id: string } });
    const mine = docs.filter((d) => d.rule.name === 'credential_exposure');
    assert.deepEqual(mine.map((d) => `${d.llm_audit.api_key.id}/${d.llm_audit.alert.kind}/${d.llm_audit.alert.severity}`).sort(), ['key_int_leak/in_completion/critical', 'key_int_leak/in_prompt/high']);
    const prompt = mine.find((d) => d.llm_audit.alert.kind === 'in_prompt')!;
    assert.equal(prompt.llm_audit.alert.count, 2, 'the second paste joined the incident');
    assert.deepEqual([prompt.llm_audit.evidence.provider, prompt.llm_audit.evidence.credential_type, prompt.llm_audit.evidence.field, prompt.user?.id], ['aws', 'aws_access_key_id', 'llm_audit.prompt', 'alice']);
    assert.match(prompt.llm_audit.evidence.token!, /^<SECRET:k1:[0-9a-f]{16}>$/);
    assert.equal(mine.find((d) => d.llm_audit.alert.kind === 'in_completion')!.llm_audit.evidence.provider, 'slack');

    const onTopic = await Promise.all((await stack.readTopic(stack.core.alertsTopic, 2, 15_000)).map(async (m) => fromAvro(await alertDecoder(new LocalSchemaSource()).decode(m.value!))));
    assert.deepEqual(onTopic.filter((a) => a.rule === 'credential_exposure').map((a) => a.kind).sort(), ['in_completion', 'in_prompt']);

    const dlq = await stack.readTopic(stack.core.dlqTopic, 2, 15_000);
    assert.equal(dlq.length, 2);
    const decoded = dlq.find((m) => m.headers['dlq.payload.encoding'] === 'tokenized-json;charset=utf-8');
    assert.ok(decoded, JSON.stringify(dlq.map((m) => m.headers)));
    assert.match(JSON.parse(decoded.value!.toString('utf8')).prompt, /^<SECRET:k1:[0-9a-f]{16}>$/);
    const dropped = dlq.find((m) => m.headers['dlq.payload.encoding'] === 'dropped');
    assert.ok(dropped && dropped.value === null, 'undecodable and no reveal key: the payload is dropped, the reason kept');
    assert.ok(stack.metrics.render().includes('llm_audit_dead_letter_payloads_dropped_total'));

    // no raw value anywhere: events, alerts, dead letters
    await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-*` });
    const everything = await stack.es.search({ index: `${stack.core.indexPrefix}-*`, size: 100 });
    const all = JSON.stringify(everything.hits.hits) + JSON.stringify(onTopic) + dlq.map((m) => m.value?.toString('latin1') ?? '').join('');
    for (const raw of [awsKeyId, slackToken, githubToken, 'ops@example.com']) assert.ok(!all.includes(raw), `${raw.slice(0, 8)}… reached storage`);
    assert.ok(all.includes(sshPublic.slice(0, 40)), 'the public key stays readable');
  } finally {
    await stack.close();
  }
});
