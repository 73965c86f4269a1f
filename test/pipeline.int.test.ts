import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import avro from 'avsc';
import { frame, LocalSchemaSource } from '../services/common/avro.js';
import { createEs } from '../services/common/es.js';
import { createLogger } from '../services/common/logger.js';
import { usageEncoder, usageType } from '../services/common/usage.js';
import { TestStack, makeEvent } from './pipeline-harness.js';
import { TcpProxy } from './tcp-proxy.js';
import { waitFor } from './helpers.js';

describe('pipeline v0 on real Kafka and Elasticsearch', () => {
  describe('malformed messages among good ones', () => {
    const stack = new TestStack('malformed');
    const logLines: string[] = [];
    before(async () => {
      // the real logger (with its redaction), at debug, so every line the pipeline can write is seen
      await stack.startPipeline({ logger: createLogger({ level: 'debug', destination: { write: (s: string) => void logLines.push(s) } }) });
    });
    after(() => stack.close());

    it('indexes every good event, dead-letters every bad one with a reason, and keeps running', async () => {
      const enc = usageEncoder(new LocalSchemaSource());
      const good = Array.from({ length: 40 }, (_, i) => makeEvent({ prompt: `please summarise confidential memo ${i} for me`, completion: 'the memo says hello' }));
      const validPayload = (await enc.encode(makeEvent())).subarray(5);
      const otherSchema = avro.Type.forSchema({ type: 'record', name: 'Other', fields: [{ name: 'x', type: 'int' }] });
      const bad: { key: string | null; value: Buffer | null; reason: string }[] = [
        { key: 'k', value: Buffer.from('this is not avro at all'), reason: 'bad_framing' },
        { key: 'k', value: Buffer.from([0, 0]), reason: 'bad_framing' },
        { key: 'k', value: null, reason: 'bad_framing' },
        { key: 'k', value: frame(987654, validPayload), reason: 'unknown_schema' },
        // a valid frame carrying the alert schema's id: a type this topic can't hold
        { key: 'k', value: frame(2, otherSchema.toBuffer({ x: 1 })), reason: 'incompatible_schema' },
        { key: 'k', value: frame(1, validPayload.subarray(0, validPayload.length - 7)), reason: 'bad_payload' },
        { key: 'k', value: frame(1, usageType().toBuffer({ ...makeEvent(), input_tokens: -5, prompt: 'mail leak.me@example.com about card 4111 1111 1111 1111' })), reason: 'invalid_event' },
        { key: 'k', value: frame(1, usageType().toBuffer({ ...makeEvent(), occurred_at: 1_700_000_000 })), reason: 'invalid_event' },
        { key: 'k', value: frame(1, usageType().toBuffer({ ...makeEvent(), event_id: 'not-a-uuid' })), reason: 'invalid_event' },
      ];
      const messages = [
        ...good.slice(0, 20).map((e) => ({ key: e.api_key_id, value: null as Buffer | null, e })),
        ...bad.map((b) => ({ key: b.key, value: b.value, e: undefined })),
        ...good.slice(20).map((e) => ({ key: e.api_key_id, value: null as Buffer | null, e })),
      ];
      for (const m of messages) if (m.e) m.value = await enc.encode(m.e);
      await stack.produceRaw(messages.map(({ key, value }) => ({ key, value })));

      await waitFor(async () => (await stack.countDocs('events')) === good.length, { what: '40 indexed events', timeoutMs: 60_000 });
      const dlq = await stack.readTopic(stack.core.dlqTopic, bad.length);
      assert.equal(dlq.length, bad.length, 'one dead letter per bad message');
      assert.deepEqual(dlq.map((d) => d.headers['dlq.reason']).sort(), bad.map((b) => b.reason).sort());
      for (const d of dlq) {
        assert.ok(d.headers['dlq.error'] && d.headers['dlq.error'].length > 10, 'dead letter says why');
        assert.equal(d.headers['dlq.source.topic'], stack.core.usageTopic);
        assert.match(d.headers['dlq.source.offset'] ?? '', /^\d+$/);
      }
      const invalid = dlq.find((d) => d.headers['dlq.error']?.includes('input_tokens'));
      assert.ok(invalid, 'the invalid-value dead letter names the field');
      for (const d of dlq) {
        const payload = d.value?.toString('latin1') ?? '';
        assert.ok(!payload.includes('leak.me@example.com') && !payload.includes('4111 1111 1111 1111'), 'raw PII in a dead-letter payload');
      }
      assert.equal(invalid.headers['dlq.payload.encoding'] !== 'original', true, 'payloads are sanitized when tokenization keys are configured');

      // every good event id exactly once, with the ECS fields
      const ids = good.map((e) => e.event_id);
      const res = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 100, query: { ids: { values: ids } } });
      assert.equal(res.hits.hits.length, good.length);
      const doc = res.hits.hits.find((h) => h._id === good[0]!.event_id)!._source as Record<string, any>;
      const e0 = good[0]!;
      assert.equal(doc['@timestamp'], new Date(e0.occurred_at).toISOString());
      assert.equal(doc.event.id, e0.event_id);
      assert.equal(doc.event.outcome, 'success');
      assert.equal(doc.event.duration, e0.latency_ms * 1_000_000);
      assert.equal(doc.http.response.status_code, 200);
      assert.equal(doc.source.ip, e0.source_ip);
      assert.equal(doc.user_agent.original, e0.user_agent);
      assert.equal(doc.user.id, e0.principal_id);
      assert.equal(doc.gen_ai.system, 'openai');
      assert.equal(doc.gen_ai.operation.name, e0.operation);
      assert.equal(doc.gen_ai.request.model, e0.model);
      assert.equal(doc.gen_ai.response.model, e0.model_version);
      assert.equal(doc.gen_ai.usage.input_tokens, e0.input_tokens);
      assert.equal(doc.gen_ai.usage.output_tokens, e0.output_tokens);
      assert.equal(doc.llm_audit.api_key.id, e0.api_key_id);
      assert.equal(doc.llm_audit.gateway.id, e0.gateway_id);
      assert.equal(doc.llm_audit.environment, e0.environment);
      assert.equal(doc.llm_audit.request_id, e0.request_id);
      const hit0 = res.hits.hits.find((h) => h._id === e0.event_id)!;
      assert.equal(hit0._index, `${stack.core.indexPrefix}-events-${new Date(e0.occurred_at).toISOString().slice(0, 10).replaceAll('-', '.')}`, 'daily index by event time');
      // without the tokenize stage, raw text is dropped, never indexed
      const raw = JSON.stringify(res.hits.hits.map((h) => h._source));
      assert.ok(!raw.includes('confidential memo'), 'prompt text must not be indexed');
      assert.ok(!raw.includes('the memo says hello'), 'completion text must not be indexed');

      // still consuming after the bad ones
      const late = makeEvent();
      await stack.produceEvents([late]);
      await waitFor(async () => (await stack.countDocs('events')) === good.length + 1, { what: 'event after the bad ones' });
      assert.equal(stack.metrics.stage('decode').errored, bad.length);
      assert.ok(logLines.length > 0, 'the pipeline logged');
      assert.ok(!logLines.some((l) => l.includes('confidential memo') || l.includes('the memo says hello')), 'raw prompt text reached a log line');
    });

    it('the index template maps identifiers as keyword/ip/date and does not index unknown fields', async () => {
      const m = await stack.es.indices.getMapping({ index: `${stack.core.indexPrefix}-events-*` });
      const props = (Object.values(m)[0] as any).mappings;
      assert.equal(props.dynamic, 'false');
      assert.equal(props.properties.llm_audit.properties.api_key.properties.id.type, 'keyword');
      assert.equal(props.properties.source.properties.ip.type, 'ip');
      assert.equal(props.properties['@timestamp'].type, 'date');
      assert.equal(props.properties.gen_ai.properties.usage.properties.input_tokens.type, 'long');
    });
  });

  describe('hostile text through the tokenize stage', () => {
    const stack = new TestStack('hostile');
    after(() => stack.close());

    it('indexes huge and hostile prompts, cut and flagged, without stalling the partition', async () => {
      await stack.startPipeline({ config: { stages: ['tokenize'] } });
      const hostile = [
        '4'.repeat(600_000),
        '@'.repeat(600_000),
        '['.repeat(300_000) + ']'.repeat(300_000),
        'a@'.repeat(300_000),
        `${'+1 '.repeat(100_000)}jane.doe@example.com`,
      ];
      const events = hostile.map((prompt) => makeEvent({ prompt, api_key_id: 'key_hostile' }));
      const after = makeEvent({ api_key_id: 'key_hostile', prompt: 'mail jane.doe@example.com' });
      // one at a time: together they would exceed the broker's 1 MB record-batch limit
      for (const e of [...events, after]) await stack.produceEvents([e]);
      await waitFor(async () => (await stack.countDocs('events')) === events.length + 1, { what: 'hostile events indexed', timeoutMs: 90_000 });
      const res = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 10, query: { term: { 'llm_audit.pii.truncated': true } } });
      assert.equal((res.hits.total as { value: number }).value, events.length, 'every oversized prompt is cut and flagged');
      for (const h of res.hits.hits) assert.ok(((h._source as { llm_audit: { prompt: string } }).llm_audit.prompt ?? '').length <= 70_000, 'stored text is capped');
      const last = await stack.es.get({ index: `${stack.core.indexPrefix}-events-*`.replace('*', new Date(after.occurred_at).toISOString().slice(0, 10).replaceAll('-', '.')), id: after.event_id });
      const src = last._source as { llm_audit: { prompt: string; pii: { types: string[] } } };
      assert.ok(!src.llm_audit.prompt.includes('jane.doe@example.com'));
      assert.deepEqual(src.llm_audit.pii.types, ['EMAIL']);
      assert.equal(stack.metrics.stage('decode').errored, 0);
    });
  });

  describe('Elasticsearch unreachable mid-stream', () => {
    const stack = new TestStack('esdown');
    const url = new URL(stack.core.elasticsearchUrl);
    const proxy = new TcpProxy(url.hostname, Number(url.port || 9200));
    after(async () => {
      await stack.close();
      await proxy.close();
    });

    it('holds the batch, loses nothing, duplicates nothing, and resumes when it returns', async () => {
      const port = await proxy.start();
      const esViaProxy = createEs({ elasticsearchUrl: `http://127.0.0.1:${port}`, elasticsearchUsername: undefined, elasticsearchPassword: undefined });
      await stack.startPipeline({ es: esViaProxy });
      const first = Array.from({ length: 300 }, () => makeEvent());
      await stack.produceEvents(first);
      await waitFor(async () => (await stack.countDocs('events')) === first.length, { what: 'first 300 indexed' });

      await proxy.cut();
      const second = Array.from({ length: 500 }, () => makeEvent());
      await stack.produceEvents(second);
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(await stack.countDocs('events'), first.length, 'nothing can be indexed while Elasticsearch is away');
      assert.ok(stack.metrics.counterValue('llm_audit_bulk_request_failures_total', { stage: 'index' }) > 0, 'the failed bulk requests were counted');

      await proxy.restore();
      await waitFor(async () => (await stack.countDocs('events')) === first.length + second.length, { what: 'all 800 indexed after the outage', timeoutMs: 60_000 });
      const ids = [...first, ...second].map((e) => e.event_id);
      const res = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 0, query: { ids: { values: ids } }, aggs: { u: { cardinality: { field: 'event.id', precision_threshold: 2000 } } } });
      assert.equal((res.hits.total as { value: number }).value, 800, 'exactly one document per event');
      assert.equal((res.aggregations?.u as { value: number }).value, 800, 'and 800 distinct event ids among them');
      await esViaProxy.close();
    });
  });
});
