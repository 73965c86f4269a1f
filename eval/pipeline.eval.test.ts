import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestStack } from '../test/pipeline-harness.js';
import { waitFor } from '../test/helpers.js';
import { NeedleFinder, readLabels, readTraffic } from './shared-data.js';
import type { UsageEvent } from '../services/common/types.js';

/**
 * The shared development traffic (about 77k events) through real Kafka into real Elasticsearch:
 * exactly one document per event id, the ECS fields, and no raw prompt, completion or canary PII anywhere.
 */
const stages = (process.env.LLM_AUDIT_EVAL_STAGES ?? 'tokenize,attribute,detect').split(',').filter(Boolean);

describe(`shared traffic through Kafka and Elasticsearch (stages: ${stages.join(',') || 'none'})`, () => {
  const stack = new TestStack('evaltraffic', { topicPartitions: 6 });
  let events: UsageEvent[];
  before(async () => {
    events = await readTraffic();
    await stack.startPipeline({ config: { stages } });
  });
  after(() => stack.close());

  it('indexes exactly one document per event id', async () => {
    const t0 = Date.now();
    await stack.produceEvents(events);
    await waitFor(async () => (await stack.countDocs('events')) >= events.length, { what: `${events.length} documents`, timeoutMs: 600_000, intervalMs: 2000 });
    const took = (Date.now() - t0) / 1000;
    console.log(`# ${events.length} events produced and indexed in ${took.toFixed(1)} s (${Math.round(events.length / took)} events/s end to end)`);
    const res = await stack.es.search({
      index: `${stack.core.indexPrefix}-events-*`,
      size: 0,
      track_total_hits: true,
      aggs: { ids: { cardinality: { field: 'event.id', precision_threshold: 40000 } } },
    });
    assert.equal((res.hits.total as { value: number }).value, events.length);
    assert.equal(new Set(events.map((e) => e.event_id)).size, events.length);
    // cardinality is approximate above the threshold; the exact check is the per-id scan below
    const seen = new Set<string>();
    for await (const hit of scan(stack, `${stack.core.indexPrefix}-events-*`)) {
      assert.ok(!seen.has(hit._id), `duplicate document ${hit._id}`);
      seen.add(hit._id);
    }
    assert.equal(seen.size, events.length);
    for (const e of events) assert.ok(seen.has(e.event_id), `event ${e.event_id} missing`);
    assert.equal(stack.metrics.stage('decode').errored, 0);
  });

  it('every document carries the ECS fields of its event', async () => {
    const byId = new Map(events.map((e) => [e.event_id, e]));
    let checked = 0;
    for await (const hit of scan(stack, `${stack.core.indexPrefix}-events-*`)) {
      const d = hit._source as Record<string, any>;
      const e = byId.get(hit._id)!;
      assert.equal(d['@timestamp'], new Date(e.occurred_at).toISOString());
      assert.equal(d.http.response.status_code, e.status_code);
      assert.equal(d.llm_audit.api_key.id, e.api_key_id);
      assert.equal(d.gen_ai.usage.input_tokens, e.input_tokens);
      assert.equal(d.gen_ai.usage.output_tokens, e.output_tokens);
      assert.equal(d.event.duration, e.latency_ms * 1e6);
      assert.equal(d.gen_ai.request.model, e.model);
      assert.equal(d.user?.id, e.principal_id ?? undefined);
      checked++;
    }
    assert.equal(checked, events.length);
  });

  it('no raw prompt, completion or canary PII value in any index of the run', async () => {
    const labels = readLabels();
    const finder = new NeedleFinder(labels.canaries);
    const leaks = new Set<string>();
    let docs = 0;
    for await (const hit of scan(stack, `${stack.core.indexPrefix}-*`)) {
      docs++;
      for (const c of finder.find(JSON.stringify(hit._source))) leaks.add(c);
    }
    assert.ok(docs >= events.length);
    assert.equal(leaks.size, 0, `canary values found in Elasticsearch: ${[...leaks].slice(0, 5).map((c) => c.slice(0, 3) + '…').join(', ')}`);
    // a raw prompt sentence must not be stored verbatim either (tokenized text differs wherever PII was)
    const withPii = events.filter((e) => e.prompt && finder.find(e.prompt).size > 0).slice(0, 50);
    assert.ok(withPii.length > 0, 'the traffic has prompts with canaries');
    for (const e of withPii) {
      const got = await stack.es.get({ index: `${stack.core.indexPrefix}-events-*`.replace('*', dayOf(e.occurred_at)), id: e.event_id });
      assert.ok(!JSON.stringify(got._source).includes(e.prompt!), 'raw prompt stored verbatim');
    }
  });
});

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '.');
}

async function* scan(stack: TestStack, index: string): AsyncGenerator<{ _id: string; _source: unknown }> {
  await stack.es.indices.refresh({ index, allow_no_indices: true });
  let res = await stack.es.search({ index, scroll: '1m', size: 5000, sort: ['_doc'], allow_no_indices: true });
  try {
    while (res.hits.hits.length) {
      for (const h of res.hits.hits) yield { _id: h._id!, _source: h._source };
      res = await stack.es.scroll({ scroll_id: res._scroll_id!, scroll: '1m' });
    }
  } finally {
    if (res._scroll_id) await stack.es.clearScroll({ scroll_id: res._scroll_id }).catch(() => undefined);
  }
}
