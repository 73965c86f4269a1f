import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { pino } from 'pino';
import { alertDecoder, fromAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { Alert, UsageEvent } from '../services/common/types.js';
import { fixtureEvent, series } from '../services/detect/detector.js';
import { openGeo } from '../services/detect/geo.js';
import { latestById, replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { EsStateStore, MemoryStateStore, type StateStore } from '../services/detect/state-store.js';
import { testEs, uniqueName, waitFor } from './helpers.js';
import { TestStack } from './pipeline-harness.js';

const T0 = Date.UTC(2026, 10, 27, 8);
const MIN = 60_000;
const KEYS = ['key_int_a', 'key_int_b', 'key_int_c', 'key_int_d', 'key_int_e', 'key_int_f'];

/** Two hours of six keys from GB and DE, then a 401 burst (key a), a spike (key c) and a new country (key e). */
function scenario(): UsageEvent[] {
  const base = KEYS.flatMap((k, j) => series(T0 + j * 1000, T0 + 130 * MIN, MIN, (t, i) => fixtureEvent({ occurred_at: t, api_key_id: k, principal_id: `user-${j}`, source_ip: i % 3 ? '81.2.69.142' : '176.0.0.106' })));
  const burst = series(T0 + 100 * MIN, T0 + 101 * MIN, 1_500, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_int_a', status_code: 401, output_tokens: 0, source_ip: '111.0.0.186' }));
  const spike = series(T0 + 105 * MIN, T0 + 110 * MIN, 5_000, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_int_c', principal_id: 'user-2', input_tokens: 20_000 }));
  const travel = [fixtureEvent({ occurred_at: T0 + 115 * MIN + 20_000, api_key_id: 'key_int_e', principal_id: 'user-4', source_ip: '138.0.56.74' })];
  return [...base, ...burst, ...spike, ...travel].sort((a, b) => a.occurred_at - b.occurred_at);
}

async function stage(store: StateStore): Promise<DetectStage> {
  return DetectStage.create({ config: detectConfig.parse({ snapshotIntervalMs: 200 }), env: {}, store, logger: pino({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

async function reference(events: UsageEvent[], partitions: number): Promise<Map<string, Alert>> {
  return latestById((await replay(await stage(new MemoryStateStore()), events, { partitions })).emitted);
}

async function alertDocs(stack: TestStack): Promise<{ id: string; count: number; rule: string; kind: string }[]> {
  await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-alerts-*`, allow_no_indices: true });
  const r = await stack.es.search<{ llm_audit: { alert: { id: string; count: number; kind: string } }; rule: { name: string } }>({ index: `${stack.core.indexPrefix}-alerts-*`, size: 100, allow_no_indices: true });
  return r.hits.hits.map((h) => ({ id: h._id!, count: h._source!.llm_audit.alert.count, rule: h._source!.rule.name, kind: h._source!.llm_audit.alert.kind }));
}

async function topicAlerts(stack: TestStack, expected: number): Promise<Alert[]> {
  const dec = alertDecoder(new LocalSchemaSource());
  const msgs = await stack.readTopic(stack.core.alertsTopic, expected, 15_000);
  return Promise.all(msgs.map(async (m) => fromAvro(await dec.decode(m.value!))));
}

const es = testEs();
after(() => es.close());

test('Elasticsearch state store: a snapshot round-trips, a missing one is null', async () => {
  const store = new EsStateStore(es, uniqueName('t-detect-state'));
  try {
    assert.equal(await store.load('llm.usage.v1', 0), null);
    const body = { v: 1 as const, clock: T0, keys: { key_x: { t: T0, s: { token_spike: { k: [1, 2, 3, 4] } } } } };
    await store.save({ topic: 'llm.usage.v1', partition: 4, offset: 1234, savedAt: T0, body });
    await store.save({ topic: 'llm.usage.v1', partition: 4, offset: 1240, savedAt: T0 + 1, body });
    const got = await store.load('llm.usage.v1', 4);
    assert.equal(got?.offset, 1240);
    assert.deepEqual(got?.body, body);
  } finally {
    await es.indices.delete({ index: store.index, ignore_unavailable: true });
  }
});

test('Elasticsearch state store: a stale writer cannot overwrite a later snapshot (optimistic concurrency)', async () => {
  const index = uniqueName('t-detect-state');
  const a = new EsStateStore(es, index);
  const b = new EsStateStore(es, index);
  const snap = (offset: number) => ({ topic: 'llm.usage.v1', partition: 1, offset, savedAt: T0 + offset, body: { v: 1 as const, clock: T0 + offset, keys: {} } });
  try {
    assert.equal(await a.save(snap(10)), true);
    assert.equal((await b.load('llm.usage.v1', 1))?.offset, 10);
    assert.equal(await b.save(snap(20)), true, 'the new owner moves on');
    assert.equal(await a.save(snap(15)), false, 'the old owner is behind: refused');
    assert.equal((await b.load('llm.usage.v1', 1))?.offset, 20);
    assert.equal(await a.save(snap(25)), true, 'a later offset is written even from a stale version');
    assert.equal((await b.load('llm.usage.v1', 1))?.offset, 25);
  } finally {
    await es.indices.delete({ index, ignore_unavailable: true });
  }
});

test('through real Kafka and Elasticsearch: a restart in the middle of a burst keeps every alert id, none duplicated', async () => {
  const stack = new TestStack('detect-restart');
  const store = new EsStateStore(stack.es, `${stack.core.indexPrefix}-detect-state`);
  try {
    const events = scenario();
    const expected = await reference(events, stack.core.topicPartitions);
    assert.deepEqual([...expected.values()].map((a) => `${a.rule}/${a.kind}/${a.api_key_id}`).sort(), ['geo_anomaly/impossible_travel/key_int_e', 'geo_anomaly/new_country/key_int_e', 'invalid_request_burst/auth_failures/key_int_a', 'token_spike/key_tokens/key_int_c']);
    // cut inside the 401 burst: the incident is open when the first instance stops
    const cut = events.findIndex((e) => e.occurred_at >= T0 + 100 * MIN + 30_000);
    const s1 = await stage(store);
    const p1 = await stack.startPipeline({ transforms: [s1], logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }) });
    await stack.produceEvents(events.slice(0, cut));
    await waitFor(async () => stack.metrics.stage('index').sent >= cut, { timeoutMs: 60_000, what: 'first half indexed' });
    await p1.stop();
    const before = await alertDocs(stack);
    assert.deepEqual(before.map((a) => a.kind), ['auth_failures'], 'the burst was alerted before the restart');

    const s2 = await stage(store);
    await stack.startPipeline({ transforms: [s2] });
    await stack.produceEvents(events.slice(cut));
    await waitFor(async () => stack.metrics.stage('index').sent >= events.length, { timeoutMs: 60_000, what: 'second half indexed' });
    const docs = await alertDocs(stack);
    assert.deepEqual(docs.map((d) => d.id).sort(), [...expected.keys()].sort(), 'the same incidents as one uninterrupted run');
    for (const d of docs) assert.equal(d.count, expected.get(d.id)!.count, `${d.rule}/${d.kind}: the same evidence count`);
    assert.ok(docs.find((d) => d.kind === 'auth_failures')!.count > before[0]!.count, 'the burst in progress went on under its id');

    const sent = await topicAlerts(stack, expected.size);
    assert.equal(sent.length, expected.size);
    for (const a of sent) assert.ok(expected.has(a.id), `${a.rule}/${a.kind} on the topic has an id the uninterrupted run did not have`);
  } finally {
    await stack.close();
  }
});

test('two instances in one group split the keys and raise each incident once', async () => {
  const stack = new TestStack('detect-group');
  const store = new EsStateStore(stack.es, `${stack.core.indexPrefix}-detect-state`);
  try {
    const events = scenario();
    const expected = await reference(events, stack.core.topicPartitions);
    const a = await stage(store);
    const b = await stage(store);
    await stack.startPipeline({ transforms: [a] });
    await stack.startPipeline({ transforms: [b] });
    const admin = stack.kafka.admin();
    await admin.connect();
    const group = `${stack.core.usageTopic}.group`;
    await waitFor(async () => {
      const d = await admin.describeGroups([group]);
      return d.groups[0]?.state === 'Stable' && d.groups[0].members.length === 2;
    }, { timeoutMs: 30_000, what: 'a stable group of two' });
    await admin.disconnect();
    await stack.produceEvents(events);
    await waitFor(async () => stack.metrics.stage('index').sent >= events.length, { timeoutMs: 60_000, what: 'all indexed' });
    assert.ok(a.counters.received > 0 && b.counters.received > 0, `both instances detected (${a.counters.received} + ${b.counters.received})`);
    assert.equal(a.counters.received + b.counters.received, events.length);
    const docs = await alertDocs(stack);
    assert.deepEqual(docs.map((d) => d.id).sort(), [...expected.keys()].sort());
  } finally {
    await stack.close();
  }
});

test('the pipeline builds the stage from its own factory (LLM_AUDIT_STAGES=detect): alerts, source.geo and snapshots', async () => {
  const stack = new TestStack('detect-factory');
  try {
    const burst = [
      ...series(T0, T0 + 10 * MIN, 20_000, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_int_factory' })),
      ...series(T0 + 10 * MIN, T0 + 10 * MIN + 30_000, 1_000, (t) => fixtureEvent({ occurred_at: t, api_key_id: 'key_int_factory', status_code: 401, source_ip: '111.0.0.186', output_tokens: 0 })),
    ];
    await stack.startPipeline({ config: { stages: ['detect'] } });
    await stack.produceEvents(burst);
    await waitFor(async () => stack.metrics.stage('index').sent >= burst.length, { timeoutMs: 60_000, what: 'indexed' });
    const docs = await alertDocs(stack);
    assert.deepEqual(docs.map((d) => `${d.rule}/${d.kind}`), ['invalid_request_burst/auth_failures']);
    await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-events-*` });
    const ev = await stack.es.search<{ source?: { geo?: { country_iso_code?: string; location?: { lat: number; lon: number } } } }>({ index: `${stack.core.indexPrefix}-events-*`, size: 1, query: { term: { 'source.ip': '111.0.0.186' } } });
    assert.equal(ev.hits.hits[0]?._source?.source?.geo?.country_iso_code, 'CN');
    const geoPoint = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 0, query: { geo_distance: { distance: '100km', 'source.geo.location': { lat: 30.3, lon: 120.2 } } } });
    assert.ok((geoPoint.hits.total as { value: number }).value > 0, 'source.geo.location is a geo_point');
    await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-detect-state` });
    const state = await stack.es.count({ index: `${stack.core.indexPrefix}-detect-state` });
    assert.ok(state.count >= 1, 'a snapshot per partition that had events');
  } finally {
    await stack.close();
  }
});
