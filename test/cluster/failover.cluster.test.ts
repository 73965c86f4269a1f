/**
 * Failure tests on the multi-node local stack (deploy/local/cluster.sh: 3 KRaft brokers, 2 Elasticsearch nodes).
 * Run by `npm run test:cluster` (not by `npm test`: it needs the cluster, which .ci/run starts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { deployDir } from '../../services/common/paths.js';
import { MetricsRegistry } from '../../services/common/metrics.js';
import type { Alert, UsageEvent } from '../../services/common/types.js';
import { openGeo } from '../../services/detect/geo.js';
import { latestById, murmur2Partition, replay } from '../../services/detect/replay.js';
import { DetectStage, detectConfig } from '../../services/detect/stage.js';
import { EsStateStore, MemoryStateStore, type StateStore } from '../../services/detect/state-store.js';
import { createUsageEmitter } from '../../services/sdk/emitter.js';
import { Simulation } from '../../services/simulate/traffic.js';
import { waitFor } from '../helpers.js';
import { TestStack } from '../pipeline-harness.js';

const clusterSh = join(deployDir(), 'local', 'cluster.sh');
function cluster(...args: string[]) {
  const r = spawnSync('bash', [clusterSh, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
const envOut = cluster('env');
const clusterEnv = Object.fromEntries(envOut.out.split('\n').filter(Boolean).map((l) => l.split('=', 2) as [string, string]));
const up = cluster('status').status === 0;

const PARTITIONS = 6;

async function stage(store: StateStore): Promise<DetectStage> {
  return DetectStage.create({ config: detectConfig.parse({ snapshotIntervalMs: 200 }), env: {}, store, logger: pino({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

/** The node outside the voting configuration: with two master-eligible nodes Elasticsearch votes with one, so the other is the one a two-node cluster survives losing. */
async function nonVotingNode(stack: TestStack): Promise<number> {
  const state = (await stack.es.cluster.state({ metric: ['metadata', 'nodes'] })) as unknown as {
    metadata: { cluster_coordination: { last_committed_config: string[] } };
    nodes: Record<string, { name: string }>;
  };
  const voting = new Set(state.metadata.cluster_coordination.last_committed_config);
  const other = Object.entries(state.nodes).find(([id]) => !voting.has(id));
  assert.ok(other, 'one node is outside the voting configuration');
  return Number(other[1].name.split('-').pop());
}

// skipped per test, not per suite: node 20 counts a skipped suite as nothing in its summary
const skip = { skip: up ? false : 'the multi-node stack is not running: npm run test:cluster starts it (deploy/local/cluster.sh up --brokers 3 --es-nodes 2)' };

describe('multi-node stack: a broker, an Elasticsearch node and pipeline instances come and go mid-stream', () => {
  let stack: TestStack;
  const events: UsageEvent[] = [];
  let expected: Map<string, Alert>;
  let emitter: Awaited<ReturnType<typeof createUsageEmitter>> | undefined;

  before(async () => {
    if (!up) return;
    stack = new TestStack('cluster', {
      kafkaBrokers: clusterEnv.KAFKA_BROKERS!.split(','),
      elasticsearchUrl: clusterEnv.ELASTICSEARCH_URLS,
      topicPartitions: PARTITIONS,
      topicReplication: 3,
    });
    const sim = new Simulation({ seed: 7, start: Date.UTC(2026, 10, 20, 8), minutes: 120, keys: 24, attacks: true, ratePerKey: 12 });
    for (const e of sim.events()) events.push(e);
    expected = latestById((await replay(await stage(new MemoryStateStore()), events, { partitions: PARTITIONS })).emitted);
  });
  after(async () => {
    if (!up) return;
    // leave the cluster whole for whoever runs next, whatever happened above; a client stuck on a dead
    // node must not keep the suite from ending
    cluster('start', 'kafka', '2');
    for (const n of ['1', '2']) cluster('start', 'es', n);
    const bounded = (p: Promise<unknown> | undefined) => Promise.race([p?.catch(() => undefined), new Promise((r) => setTimeout(r, 30_000).unref())]);
    await bounded(emitter?.close());
    await bounded(stack?.close());
  });

  it('indexes every event once, raises the same alerts as a clean run, and ends with no lag', skip, async () => {
    assert.ok(events.length > 10_000, `a long stream (${events.length} events)`);
    assert.ok(expected.size >= 3, `the clean run raises alerts (${expected.size})`);
    const store = new EsStateStore(stack.es, `${stack.core.indexPrefix}-detect-state`);
    const pipelineEnv = { LLM_AUDIT_ES_REPLICAS: '1' };
    const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
    const p1 = await stack.startPipeline({ transforms: [await stage(store)], env: pipelineEnv, logger });
    await stack.startPipeline({ transforms: [await stage(store)], env: pipelineEnv, logger });

    const emitterErrors: string[] = [];
    emitter = await createUsageEmitter({
      env: { ...process.env, KAFKA_BROKERS: clusterEnv.KAFKA_BROKERS },
      core: stack.core,
      onError: (err, n) => void emitterErrors.push(`${n} events: ${err.message}`),
    });
    // the harness creates the topics (replication 3, min.insync.replicas 2 from the broker defaults)
    await stack.produceRaw([]);
    const chunks = 6;
    const size = Math.ceil(events.length / chunks);
    const produce = async (i: number) => {
      for (const e of events.slice(i * size, (i + 1) * size)) await emitter!.emit(e);
      await emitter!.flush();
    };
    const indexed = () => stack.countDocs('events');
    const faults: string[] = [];

    await produce(0);
    await waitFor(async () => (await indexed()) >= size, { timeoutMs: 120_000, what: 'first chunk indexed' });

    const k = cluster('kill', 'kafka', '2');
    assert.equal(k.status, 0, k.err);
    faults.push('SIGKILL kafka-2');
    await produce(1);
    const ks = cluster('start', 'kafka', '2');
    assert.equal(ks.status, 0, ks.err);
    faults.push('restart kafka-2');
    await produce(2);

    const node = await nonVotingNode(stack);
    const e = cluster('kill', 'es', String(node));
    assert.equal(e.status, 0, e.err);
    faults.push(`SIGKILL es-${node}`);
    await produce(3);
    const es = cluster('start', 'es', String(node));
    assert.equal(es.status, 0, es.err);
    faults.push(`restart es-${node}`);

    await stack.startPipeline({ transforms: [await stage(store)], env: pipelineEnv, logger });
    faults.push('third instance joins');
    await produce(4);
    await p1.stop();
    faults.push('first instance leaves');
    await produce(5);
    await emitter.close();
    assert.deepEqual(emitterErrors, [], 'the emitter lost nothing (acks=all, idempotent)');

    await waitFor(async () => (await indexed()) >= events.length, { timeoutMs: 300_000, intervalMs: 1000, what: `all ${events.length} events indexed after ${faults.join(', ')}` }).catch(async (err: Error) => {
      const stages = ['decode', 'index'].map((n) => `${n} ${JSON.stringify(stack.metrics.stage(n))}`).join('; ');
      const health = await stack.es.cluster.health().catch((e: Error) => e.message);
      const seen = new Set<string>();
      for (let i = 0; i < events.length; i += 2000) {
        const ids = events.slice(i, i + 2000).map((e) => e.event_id);
        const hits = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 2000, _source: false, query: { ids: { values: ids } } }).catch(() => undefined);
        for (const h of hits?.hits.hits ?? []) seen.add(h._id!);
      }
      const missing = events.filter((e) => !seen.has(e.event_id));
      const byPart: Record<number, number> = {};
      for (const e of missing) byPart[murmur2Partition(e.api_key_id, PARTITIONS)] = (byPart[murmur2Partition(e.api_key_id, PARTITIONS)] ?? 0) + 1;
      const chunkOf: Record<number, number> = {};
      for (const e of missing) { const c = Math.floor(events.indexOf(e) / size); chunkOf[c] = (chunkOf[c] ?? 0) + 1; }
      const cat = await stack.es.cat.indices({ index: `${stack.core.indexPrefix}-*`, format: 'json', h: 'index,health,pri,rep,docs.count' }).catch(() => []);
      const want: Record<number, number> = {};
      for (const e of events) want[murmur2Partition(e.api_key_id, PARTITIONS)] = (want[murmur2Partition(e.api_key_id, PARTITIONS)] ?? 0) + 1;
      const adm = stack.kafka.admin();
      await adm.connect();
      const offs = await adm.fetchTopicOffsets(stack.core.usageTopic).catch(() => []);
      const committed = await adm.fetchOffsets({ groupId: `${stack.core.usageTopic}.group`, topics: [stack.core.usageTopic] }).catch(() => []);
      await adm.disconnect();
      console.error('TOPIC', JSON.stringify({ want, offs, committed }));
      console.error('MISSING', JSON.stringify({ seenSample: seen.size, byPart, chunkOf, cat }));
      throw new Error(`${err.message} (indexed ${await indexed().catch(() => -1)}; ${stages}; cluster ${JSON.stringify(health)})`);
    });
    assert.equal(await indexed(), events.length, 'no event indexed twice');
    const distinct = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 0, aggs: { ids: { cardinality: { field: 'event.id', precision_threshold: 40_000 } } } });
    const card = (distinct.aggregations as { ids: { value: number } }).ids.value;
    assert.ok(Math.abs(card - events.length) <= events.length * 0.001, `distinct event ids ${card} ~ ${events.length}`);

    // the same incidents, with the same evidence counts, as one uninterrupted in-process run
    await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-alerts-*`, allow_no_indices: true });
    const r = await stack.es.search<{ llm_audit: { alert: { count: number } } }>({ index: `${stack.core.indexPrefix}-alerts-*`, size: 1000, allow_no_indices: true });
    const got = new Map(r.hits.hits.map((h) => [h._id!, h._source!.llm_audit.alert.count]));
    assert.deepEqual([...got.keys()].sort(), [...expected.keys()].sort(), 'the same alert ids as the clean run');
    for (const [id, count] of got) assert.equal(count, expected.get(id)!.count, `alert ${id}: the same count`);

    // consumer lag back to zero: the group has committed every offset
    const admin = stack.kafka.admin();
    await admin.connect();
    try {
      const group = `${stack.core.usageTopic}.group`;
      await waitFor(async () => {
        const ends = await admin.fetchTopicOffsets(stack.core.usageTopic);
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [stack.core.usageTopic] });
        const lag = ends.reduce((s, p) => s + Number(p.high) - Number(committed!.partitions.find((c) => c.partition === p.partition)?.offset ?? 0), 0);
        return lag === 0;
      }, { timeoutMs: 60_000, what: 'consumer lag 0' });
    } finally {
      await admin.disconnect();
    }
  });
});
