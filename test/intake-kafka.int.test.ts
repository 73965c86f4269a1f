import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ensureTopics, projectTopics } from '../services/common/kafka.js';
import { intakeConfig } from '../services/intake/config.js';
import { litellmFailure, litellmSuccess } from '../services/intake/fixtures.js';
import { startIntake, type IntakeService } from '../services/intake/service.js';
import { TestStack } from './pipeline-harness.js';
import { uniqueName, waitFor } from './helpers.js';

const TOKEN = ['litellm', '-sender-', 'secret-', Date.now().toString(36)].join('');

type Doc = {
  gen_ai: { request: { model: string }; usage: { input_tokens: number; output_tokens: number }; system: string };
  http: { response: { status_code: number } };
  error?: { code: string };
  user?: { id: string };
  llm_audit: { gateway: { id: string }; environment: string; api_key: { id: string }; request_id?: string; prompt?: string; completion?: string; pii?: { types: string[] } };
};

describe('OTLP protobuf from Kafka (the Collector kafka exporter format) and LiteLLM payloads, through the pipeline into Elasticsearch', () => {
  const stack = new TestStack('intake-kafka');
  const spansTopic = uniqueName('otlp-spans');
  const logsTopic = uniqueName('otlp-logs');
  let intake: IntakeService;

  before(async () => {
    const admin = stack.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [...projectTopics(stack.core), { topic: spansTopic, numPartitions: 2, replicationFactor: 1 }, { topic: logsTopic, numPartitions: 1, replicationFactor: 1 }]).finally(() => admin.disconnect());
    intake = await startIntake({
      core: stack.core,
      config: intakeConfig.parse({ port: 0, senderTokens: `litellm-proxy:${TOKEN}`, kafkaSource: true, otlpSpansTopic: spansTopic, otlpLogsTopic: logsTopic, groupId: uniqueName('intake') }),
      metrics: stack.metrics,
      kafka: stack.kafka,
    });
    await stack.startPipeline({ config: { stages: ['tokenize'] } });
  });

  after(async () => {
    await intake?.stop();
    const admin = stack.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [spansTopic, logsTopic] }).catch(() => undefined);
    await admin.disconnect();
    await stack.close();
  });

  it('spans and content log records serialized by the OpenTelemetry SDK land as one tokenized document; a garbage message is skipped and counted', { timeout: 120_000 }, async () => {
    const resource = resourceFromAttributes({ 'service.name': 'search-worker', 'deployment.environment': 'staging', 'llm_audit.api_key_id': 'key_search_stg' });
    const spans = new InMemorySpanExporter();
    const logs = new InMemoryLogRecordExporter();
    const tp = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spans)] });
    const lp = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logs })] });
    const tracer = tp.getTracer('py-style-genai');
    const logger = lp.getLogger('py-style-genai');
    const llm = tracer.startSpan('chat claude-sonnet', { attributes: {
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4', 'gen_ai.response.model': 'claude-sonnet-4-20250514',
      'gen_ai.usage.input_tokens': 321, 'gen_ai.usage.output_tokens': 54, 'gen_ai.response.id': 'msg_01XYZ', 'user.id': 'analyst-7', 'server.address': 'api.anthropic.com',
    } });
    const ctx = trace.setSpan(context.active(), llm);
    logger.emit({ context: ctx, eventName: 'gen_ai.user.message', attributes: { 'event.name': 'gen_ai.user.message' }, body: { content: 'Find the invoice for bob.smith@example.org' } });
    logger.emit({ context: ctx, eventName: 'gen_ai.choice', attributes: { 'event.name': 'gen_ai.choice' }, body: { index: 0, finish_reason: 'stop', message: { content: 'Invoice 77 was sent.' } } });
    llm.end();
    tracer.startSpan('GET /search').end();
    await lp.forceFlush();

    const producer = stack.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: logsTopic, messages: [{ value: Buffer.from(ProtobufLogsSerializer.serializeRequest(logs.getFinishedLogRecords())!) }] });
      await waitFor(async () => intake.intake.join.size >= 1, { timeoutMs: 30_000, what: 'content log records held for the span' });
      await producer.send({ topic: spansTopic, messages: [
        { value: Buffer.from('this is not protobuf \u00ff\u00ff\u00ff') },
        { value: Buffer.from(ProtobufTraceSerializer.serializeRequest(spans.getFinishedSpans())!) },
      ] });
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await stack.countDocs('events', { term: { 'llm_audit.gateway.id': 'search-worker' } })) >= 1, { timeoutMs: 60_000, what: 'the document of the Kafka span' });
    const res = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, query: { term: { 'llm_audit.gateway.id': 'search-worker' } } });
    assert.equal(res.hits.hits.length, 1, 'one document: the HTTP span was dropped');
    const d = res.hits.hits[0]!._source as Doc;
    assert.equal(d.gen_ai.request.model, 'claude-sonnet-4');
    assert.equal(d.gen_ai.system, 'anthropic');
    assert.deepEqual([d.gen_ai.usage.input_tokens, d.gen_ai.usage.output_tokens], [321, 54]);
    assert.equal(d.llm_audit.environment, 'staging');
    assert.equal(d.llm_audit.api_key.id, 'key_search_stg');
    assert.equal(d.user?.id, 'analyst-7');
    assert.ok(d.llm_audit.prompt?.includes('Find the invoice'), 'prompt from the Kafka log records');
    assert.ok(!JSON.stringify(d).includes('bob.smith@example.org'), 'no raw email');
    assert.deepEqual(d.llm_audit.pii?.types, ['EMAIL']);
    assert.equal(stack.metrics.counterValue('llm_audit_intake_kafka_bad_messages_total', { topic: spansTopic }), 1);
  });

  it('LiteLLM StandardLoggingPayloads (a list) land with model, tokens, status, key hash and user; content tokenized', { timeout: 120_000 }, async () => {
    const res = await fetch(`http://127.0.0.1:${intake.port}/litellm`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify([litellmSuccess, litellmFailure]),
    });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { accepted: 2, rejected: 0, errors: [] });
    const q = { term: { 'llm_audit.gateway.id': 'litellm:litellm-proxy' } };
    await waitFor(async () => (await stack.countDocs('events', q)) >= 2, { timeoutMs: 60_000, what: 'two LiteLLM documents' });
    const hits = (await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, query: q, sort: [{ 'http.response.status_code': 'asc' }] })).hits.hits.map((h) => h._source as Doc);
    assert.equal(hits.length, 2);
    const [ok, fail] = hits;
    assert.equal(ok!.gen_ai.request.model, 'gpt-4o');
    assert.deepEqual([ok!.gen_ai.usage.input_tokens, ok!.gen_ai.usage.output_tokens], [70, 25]);
    assert.equal(ok!.llm_audit.api_key.id, litellmSuccess.metadata.user_api_key_hash);
    assert.equal(ok!.user?.id, 'customer-991');
    assert.equal(ok!.llm_audit.environment, 'prod');
    assert.equal(fail!.http.response.status_code, 429);
    assert.equal(fail!.error?.code, 'RateLimitError');
    const raw = JSON.stringify(hits);
    assert.ok(!raw.includes('jane.roe@example.com') && !raw.includes('4111 1111 1111 1111'), 'no raw PII from the LiteLLM messages');
    assert.ok(ok!.llm_audit.prompt, 'the LiteLLM messages became a tokenized prompt');
  });
});
