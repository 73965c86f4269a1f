import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { Alert, UsageEvent } from '../services/common/types.js';
import { openGeo } from '../services/detect/geo.js';
import { latestById, replay } from '../services/detect/replay.js';
import { DetectStage, detectConfig } from '../services/detect/stage.js';
import { EsStateStore, MemoryStateStore, type StateStore } from '../services/detect/state-store.js';
import { waitFor } from '../test/helpers.js';
import { TestStack } from '../test/pipeline-harness.js';
import { explain, loadTraffic, matches } from './detect-data.js';

// the detect stage needs no text; the dev traffic's prompts never go to Elasticsearch, even a test index
const { events: raw, labels } = loadTraffic();
const events: UsageEvent[] = raw.map((e) => ({ ...e, prompt: null, completion: null }));

async function stage(store: StateStore) {
  return DetectStage.create({ config: detectConfig.parse({}), env: {}, store, logger: pino({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

async function alertsInEs(stack: TestStack): Promise<Alert[]> {
  await stack.es.indices.refresh({ index: `${stack.core.indexPrefix}-alerts-*` });
  const r = await stack.es.search<{ '@timestamp': string; rule: { name: string }; llm_audit: { api_key: { id: string }; alert: { id: string; kind: string; count: number; first_seen: string; last_seen: string } } }>({ index: `${stack.core.indexPrefix}-alerts-*`, size: 1000 });
  return r.hits.hits.map((h) => {
    const s = h._source!;
    return { id: s.llm_audit.alert.id, rule: s.rule.name, kind: s.llm_audit.alert.kind, api_key_id: s.llm_audit.api_key.id, first_seen: Date.parse(s.llm_audit.alert.first_seen), last_seen: Date.parse(s.llm_audit.alert.last_seen), count: s.llm_audit.alert.count } as Alert;
  });
}

async function runThroughKafka(splitAt: number | null): Promise<{ es: Alert[]; seconds: number; topicIds: Set<string> }> {
  const stack = new TestStack('detect-eval', { topicPartitions: 6 });
  const store = new EsStateStore(stack.es, `${stack.core.indexPrefix}-detect-state`);
  try {
    const t0 = Date.now();
    const parts = splitAt === null ? [events] : [events.slice(0, splitAt), events.slice(splitAt)];
    let done = 0;
    for (const part of parts) {
      // a new instance for each part: the second one knows only what the first checkpointed
      const p = await stack.startPipeline({ transforms: [await stage(store)], config: { partitionsConsumedConcurrently: 6 } });
      await stack.produceEvents(part);
      done += part.length;
      await waitFor(async () => stack.metrics.stage('index').sent >= done, { timeoutMs: 600_000, intervalMs: 200, what: `${done} events indexed` });
      await p.stop();
    }
    const seconds = (Date.now() - t0) / 1000;
    const es = await alertsInEs(stack);
    const topic = await stack.readTopic(stack.core.alertsTopic, Number.MAX_SAFE_INTEGER, 5_000);
    return { es, seconds, topicIds: new Set(topic.map((m) => m.headers['alert-id']!)) };
  } finally {
    await stack.close();
  }
}

const inProcess = latestById((await replay(await stage(new MemoryStateStore()), events)).emitted);

test('dev traffic through real Kafka and Elasticsearch: recall 1.0, no control alerted, same incidents as in process', async () => {
  const { es, seconds, topicIds } = await runThroughKafka(null);
  console.log(`${events.length} events through Kafka, the detect stage and Elasticsearch in ${seconds.toFixed(1)} s; ${es.length} alert documents`);
  for (const l of labels.labels) assert.ok(es.some((a) => matches(a, l)), `no alert for ${JSON.stringify(l)}`);
  const controls = new Set(labels.controls.map((c) => c.api_key_id));
  assert.deepEqual(es.filter((a) => controls.has(a.api_key_id)).map(explain), []);
  const unlabelled = es.filter((a) => !labels.labels.some((l) => matches(a, l)));
  console.log(`unlabelled: ${unlabelled.length}`);
  for (const a of unlabelled) console.log(`  ${a.rule}/${a.kind} ${a.api_key_id} count=${a.count}`);
  assert.deepEqual(es.map((a) => a.id).sort(), [...inProcess.keys()].sort(), 'one document per incident, the same incidents');
  for (const a of es) assert.equal(a.count, inProcess.get(a.id)!.count, explain(a));
  assert.deepEqual([...topicIds].sort(), [...inProcess.keys()].sort(), 'the topic carries exactly these incidents');
});

test('dev traffic through real Kafka, restarted in the middle: the same alert ids, none duplicated', async () => {
  const { es, topicIds } = await runThroughKafka(Math.floor(events.length / 2));
  assert.deepEqual(es.map((a) => a.id).sort(), [...inProcess.keys()].sort());
  for (const a of es) assert.equal(a.count, inProcess.get(a.id)!.count, `count of ${explain(a)} across the restart`);
  assert.deepEqual([...topicIds].sort(), [...inProcess.keys()].sort());
});
