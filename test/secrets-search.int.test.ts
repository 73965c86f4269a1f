import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base62, crc32 } from '../services/tokenize/credentials/rule.js';
import { waitFor } from './helpers.js';
import { makeEvent, TestStack } from './pipeline-harness.js';

// fake credentials, assembled at run time
const awsKeyId = ['AK', 'IA', 'ZQWLPM4HHKFPXAN7'].join('');
const ghBody = 'Qw9ZxErTyUiOpAsDfGhJkLzXcVbNm4';
const githubToken = ['gh', 'p_', ghBody, base62(crc32(ghBody), 6)].join('');
const pgUrl = ['postgres://svc:', 'Pq7-xv_2Lm9', '@db.internal:5432/app'].join('');

test('the SOC searches events by credential type, provider and field (llm_audit.pii.secrets is mapped)', async () => {
  const stack = new TestStack('secrets-search');
  try {
    const events = [
      makeEvent({ api_key_id: 'key_s_aws', prompt: `boto3 fails: aws_access_key_id = ${awsKeyId}` }),
      makeEvent({ api_key_id: 'key_s_gh', prompt: 'how do I clone?', completion: `git clone https://${githubToken}@github.com/acme/app.git` }),
      makeEvent({ api_key_id: 'key_s_pg', prompt: `DATABASE_URL=${pgUrl}` }),
      makeEvent({ api_key_id: 'key_s_none', prompt: 'set OPENAI_API_KEY=sk-... in your shell', completion: 'Use Authorization: Bearer <token>.' }),
    ];
    await stack.startPipeline({ config: { stages: ['tokenize'] } });
    await stack.produceEvents(events);
    await waitFor(async () => (await stack.countDocs('events')) >= events.length, { timeoutMs: 60_000, what: 'events indexed' });

    const index = `${stack.core.indexPrefix}-events-*`;
    const mapping = await stack.es.indices.getFieldMapping({ index, fields: 'llm_audit.pii.secrets.*' });
    const types = new Map<string, string>();
    for (const m of Object.values(mapping)) for (const [f, v] of Object.entries(m.mappings)) types.set(f, Object.values(v.mapping)[0]!.type!);
    for (const f of ['field', 'token', 'subtype', 'provider', 'family']) assert.equal(types.get(`llm_audit.pii.secrets.${f}`), 'keyword', f);

    const keysWhere = async (query: object) => {
      const r = await stack.es.search<{ llm_audit: { api_key: { id: string } } }>({ index, size: 10, query });
      return r.hits.hits.map((h) => h._source!.llm_audit.api_key.id).sort();
    };
    assert.deepEqual(await keysWhere({ term: { 'llm_audit.pii.secrets.provider': 'aws' } }), ['key_s_aws']);
    assert.deepEqual(await keysWhere({ term: { 'llm_audit.pii.secrets.subtype': 'github_pat' } }), ['key_s_gh']);
    assert.deepEqual(await keysWhere({ term: { 'llm_audit.pii.secrets.field': 'completion' } }), ['key_s_gh']);
    assert.deepEqual(await keysWhere({ term: { 'llm_audit.pii.secrets.family': 'connection_string' } }), ['key_s_pg']);
    assert.deepEqual(await keysWhere({ exists: { field: 'llm_audit.pii.secrets.token' } }), ['key_s_aws', 'key_s_gh', 'key_s_pg']);
    // the token found in an event leads to every event that carries the same credential
    const tok = (await stack.es.search<{ llm_audit: { pii: { secrets: { token: string }[] } } }>({ index, size: 1, query: { term: { 'llm_audit.pii.secrets.provider': 'aws' } } })).hits.hits[0]!._source!.llm_audit.pii.secrets[0]!.token;
    assert.match(tok, /^<SECRET:k1:[0-9a-f]{16}>$/);
    assert.deepEqual(await keysWhere({ term: { 'llm_audit.pii.secrets.token': tok } }), ['key_s_aws']);

    // a dashboard counts exposures per provider
    const agg = await stack.es.search({ index, size: 0, aggs: { p: { terms: { field: 'llm_audit.pii.secrets.provider', size: 10 } } } });
    const buckets = (agg.aggregations!.p as { buckets: { key: string; doc_count: number }[] }).buckets;
    assert.deepEqual(Object.fromEntries(buckets.map((b) => [b.key, b.doc_count])), { aws: 1, github: 1, postgres: 1 });

    // and nothing raw was indexed on the way
    const all = JSON.stringify((await stack.es.search({ index, size: 10 })).hits.hits);
    for (const raw of [awsKeyId, githubToken, 'Pq7-xv_2Lm9']) assert.ok(!all.includes(raw), `${raw.slice(0, 6)}… reached Elasticsearch`);
  } finally {
    await stack.close();
  }
});
