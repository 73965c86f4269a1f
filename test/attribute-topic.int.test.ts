import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Producer } from 'kafkajs';
import { LocalSchemaSource } from '../services/common/avro.js';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { getPath, type AuditRecord } from '../services/common/types.js';
import { attributeConfig } from '../services/attribute/config.js';
import { ev, ident, T0 } from '../services/attribute/fixtures.js';
import { AttributeStage } from '../services/attribute/stage.js';
import { deleteIdentity, IdentityCodec, publishIdentity } from '../services/attribute/topic-source.js';
import { testCore, testEs, testKafka, uniqueName, waitFor } from './helpers.js';

const core = testCore();
const kafka = testKafka(core);
const es = testEs(core);
const topic = uniqueName('llm.identities.test');
const prefix = uniqueName('attr-topic');
const codec = new IdentityCodec(new LocalSchemaSource());
let producer: Producer;
let stage: AttributeStage;
let offset = 0;

const batch = async (...events: ReturnType<typeof ev>[]) => {
  const rs: AuditRecord[] = events.map((e) => ({ event: e, doc: {}, alerts: [], partition: 0, offset: String(offset++) }));
  await stage.process(rs, { topic: 'u', partition: 0, firstOffset: rs[0]!.offset, lastOffset: rs[rs.length - 1]!.offset });
  return rs;
};

before(async () => {
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  stage = new AttributeStage({
    config: attributeConfig.parse({ identityTopic: topic, identityCatchUpMs: 20_000 }),
    logger: createLogger({ level: 'silent' }),
    metrics: new MetricsRegistry(),
    indexPrefix: prefix,
    es,
    kafka,
    kafkaClientId: uniqueName('attr'),
  });
});

after(async () => {
  await stage.close();
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  await es.indices.delete({ index: `${prefix}-*`, ignore_unavailable: true, allow_no_indices: true });
  await es.close();
});

test('the identity topic is compacted and the stage reads it to the end before the first batch', async () => {
  const admin = kafka.admin();
  await admin.connect();
  const { ensureIdentityTopic } = await import('../services/attribute/topic-source.js');
  await ensureIdentityTopic(admin, topic);
  const cfg = await admin.describeConfigs({ resources: [{ type: 2, name: topic, configNames: ['cleanup.policy'] }], includeSynonyms: false });
  await admin.disconnect();
  assert.equal(cfg.resources[0]!.configEntries[0]!.configValue, 'compact');
  await publishIdentity(producer, topic, codec, ident({ api_key_id: 'key_t1', team: 'search', service: 'search-api' }));
  await stage.start();
  assert.equal(stage.directory.get('key_t1')?.service, 'search-api', 'caught up before the first batch');
  const [r] = await batch(ev({ api_key_id: 'key_t1' }));
  assert.equal(getPath(r!.doc, 'service.name'), 'search-api');
  assert.deepEqual(r!.alerts, []);
});

test('a key revoked on the topic takes effect without a restart', async () => {
  await publishIdentity(producer, topic, codec, ident({ api_key_id: 'key_t1', team: 'search', service: 'search-api', status: 'revoked', revoked_at: T0 }));
  await waitFor(async () => stage.directory.get('key_t1')?.status === 'revoked', { timeoutMs: 15_000, what: 'revocation to arrive' });
  const [r] = await batch(ev({ api_key_id: 'key_t1', occurred_at: T0 + 1000 }));
  assert.deepEqual(r!.alerts.map((a) => a.rule), ['revoked_key_used']);
  assert.equal(getPath(r!.doc, 'llm_audit.api_key.status'), 'revoked');
});

test('an invalid entry is rejected and the previous one stays; a tombstone deletes the key', async () => {
  await producer.send({ topic, messages: [{ key: 'key_t1', value: Buffer.from(JSON.stringify({ api_key_id: 'key_t1', team: 'x', service: 'y', environment: 'production', created: T0 })) }] });
  await publishIdentity(producer, topic, codec, ident({ api_key_id: 'key_t2', service: 'marker' }));
  await waitFor(async () => stage.directory.get('key_t2') !== undefined, { timeoutMs: 15_000, what: 'marker entry' });
  assert.equal(stage.topicSource!.rejected, 1);
  assert.equal(stage.directory.get('key_t1')?.status, 'revoked', 'previous entry in force');
  await deleteIdentity(producer, topic, 'key_t2');
  await waitFor(async () => stage.directory.get('key_t2') === undefined, { timeoutMs: 15_000, what: 'tombstone' });
  const [r] = await batch(ev({ api_key_id: 'key_t2', occurred_at: T0 + 2000 }));
  assert.deepEqual(r!.alerts.map((a) => a.rule), ['unattributed_key']);
});
