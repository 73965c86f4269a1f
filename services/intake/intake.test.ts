import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { LocalSchemaSource } from '../common/avro.js';
import { MetricsRegistry } from '../common/metrics.js';
import type { UsageEvent } from '../common/types.js';
import { usageDecoder, usageEncoder } from '../common/usage.js';
import { intakeConfig, type IntakeConfig } from './config.js';
import { litellmAbsurd, litellmFailure, litellmSuccess, litellmWrongTypes } from './fixtures.js';
import { litellmCaptured } from './litellm-captured.js';
import { liteLlmToEvent } from './litellm.js';
import { validateEvent } from '../decode/validate.js';
import { eventIdFor, statusOf, textOf } from './genai.js';
import { Intake, type KeyedMessage } from './intake.js';
import { ExportLogsServiceRequest, ExportTraceServiceRequest, ExportTraceServiceResponse, RpcStatus } from './otlp-proto.js';
import { decodeTraces, type OtlpSpan } from './otlp.js';
import { parseTokens, senderOf, startIntakeServer } from './server.js';

const TOKEN = ['tok', 'en-for-', 'tests-', Math.random().toString(36).slice(2)].join('');
const kv = (key: string, v: string | number | boolean) => ({
  key,
  value: typeof v === 'string' ? { stringValue: v } : typeof v === 'boolean' ? { boolValue: v } : Number.isInteger(v) ? { intValue: v } : { doubleValue: v },
});
const NOW_NS = BigInt(Date.UTC(2026, 11, 1, 12, 0, 0)) * 1_000_000n;

function span(i: number, attrs: Record<string, string | number | boolean>, extra: Record<string, unknown> = {}) {
  return {
    traceId: Buffer.from(`${'a'.repeat(24)}${i.toString(16).padStart(8, '0')}`, 'hex'),
    spanId: Buffer.from(`${'b'.repeat(8)}${i.toString(16).padStart(8, '0')}`, 'hex'),
    name: `span ${i}`,
    kind: 3,
    startTimeUnixNano: (NOW_NS + BigInt(i) * 1_000_000n).toString(),
    endTimeUnixNano: (NOW_NS + BigInt(i) * 1_000_000n + 420_000_000n).toString(),
    attributes: Object.entries(attrs).map(([k, v]) => kv(k, v)),
    ...extra,
  };
}

const genai = (over: Record<string, string | number | boolean> = {}) => ({
  'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18', 'gen_ai.usage.input_tokens': 25, 'gen_ai.usage.output_tokens': 8,
  'gen_ai.response.id': 'chatcmpl-abc', 'server.address': 'api.openai.com', 'llm_audit.api_key_id': 'key_checkout', 'enduser.id': 'u-42', ...over,
});

function traceRequest(spans: unknown[], resource: Record<string, string> = { 'service.name': 'checkout', 'deployment.environment.name': 'production' }) {
  const msg = { resourceSpans: [{ resource: { attributes: Object.entries(resource).map(([k, v]) => kv(k, v)) }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] };
  return Buffer.from(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(msg)).finish());
}

function logRequest(records: unknown[], service = 'checkout') {
  const msg = { resourceLogs: [{ resource: { attributes: [kv('service.name', service)] }, scopeLogs: [{ scope: { name: 'test' }, logRecords: records }] }] };
  return Buffer.from(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(msg)).finish());
}

class FakeKafka {
  sent: KeyedMessage[] = [];
  hold?: Promise<void>;
  fail = false;
  send = async (m: KeyedMessage[]) => {
    if (this.hold) await this.hold;
    if (this.fail) throw new Error('KafkaJSNumberOfRetriesExceeded: broker down');
    this.sent.push(...m);
  };
  async events(): Promise<UsageEvent[]> {
    const dec = usageDecoder(new LocalSchemaSource());
    return Promise.all(this.sent.map((m) => dec.decode(m.value)));
  }
}

async function setup(over: Record<string, unknown> = {}) {
  const cfg: IntakeConfig = intakeConfig.parse({ port: 0, senderTokens: `checkout:${TOKEN}`, contentWaitMs: 5000, ...over });
  const kafka = new FakeKafka();
  const metrics = new MetricsRegistry();
  const intake = new Intake(cfg, usageEncoder(new LocalSchemaSource()), kafka.send, metrics);
  const srv = await startIntakeServer({ config: cfg, intake, metrics });
  return { cfg, kafka, metrics, intake, srv, close: async () => { intake.close(); await srv.close(); } };
}

function post(port: number, path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('OTLP GenAI spans to usage events', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  before(async () => (s = await setup()));
  after(() => s.close());

  test('a gen_ai span becomes one event with identity, model, tokens, status and content; other spans are counted and dropped', async () => {
    const before = s.kafka.sent.length;
    const body = traceRequest([
      span(1, genai(), { events: [{ name: 'gen_ai.user.message', attributes: [kv('content', 'Where is my order?')] }, { name: 'gen_ai.choice', attributes: [kv('message', '{"content":"It ships today."}')] }] }),
      span(2, { 'http.request.method': 'GET', 'url.path': '/healthz' }),
      span(3, { 'db.system': 'postgresql' }),
      span(4, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup_order' }),
    ]);
    const res = await post(s.srv.port, '/v1/traces', body);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-protobuf');
    const decoded = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(res.body)) as { partialSuccess?: unknown };
    assert.equal(decoded.partialSuccess, undefined, 'nothing rejected');
    assert.equal(s.kafka.sent.length - before, 1);
    const [ev] = (await s.kafka.events()).slice(before);
    assert.equal(s.kafka.sent[before]!.key, 'key_checkout');
    assert.deepEqual(
      { ...ev, event_id: undefined },
      {
        event_id: undefined, occurred_at: Date.UTC(2026, 11, 1, 12, 0, 0) + 1, gateway_id: 'checkout', environment: 'prod', provider: 'openai', operation: 'chat',
        model: 'gpt-4o-mini', model_version: 'gpt-4o-mini-2024-07-18', api_key_id: 'key_checkout', principal_id: 'u-42', source_ip: null, user_agent: null,
        status_code: 200, error_code: null, input_tokens: 25, output_tokens: 8, latency_ms: 420, request_id: 'chatcmpl-abc',
        prompt: 'Where is my order?', completion: 'It ships today.',
      },
    );
    assert.equal(ev!.event_id, eventIdFor(`${'a'.repeat(24)}00000001`, `${'b'.repeat(8)}00000001`));
    assert.equal(s.metrics.counterValue('llm_audit_intake_dropped_total', { reason: 'not_genai' }), 2);
    assert.equal(s.metrics.counterValue('llm_audit_intake_dropped_total', { reason: 'not_model_call' }), 1, 'a tool span is not a model call, and not an error either');
  });

  test('absurd token counts and a missing model are rejected with partial_success; the valid span still goes through', async () => {
    const before = s.kafka.sent.length;
    const body = traceRequest([
      span(10, genai({ 'gen_ai.usage.input_tokens': 5_000_000_000 })),
      span(11, genai({ 'gen_ai.usage.output_tokens': -1 })),
      span(12, { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 3 }),
      span(13, genai()),
    ]);
    const res = await post(s.srv.port, '/v1/traces', body);
    assert.equal(res.status, 200);
    const r = ExportTraceServiceResponse.toObject(ExportTraceServiceResponse.decode(res.body), { longs: Number }) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    assert.equal(r.partialSuccess.rejectedSpans, 3);
    assert.match(r.partialSuccess.errorMessage, /not plausible/);
    assert.match(r.partialSuccess.errorMessage, /gen_ai.request.model/);
    assert.equal(s.kafka.sent.length - before, 1);
    assert.equal(s.metrics.counterValue('llm_audit_intake_dropped_total', { reason: 'invalid_tokens' }), 2);
    assert.equal(s.metrics.counterValue('llm_audit_intake_dropped_total', { reason: 'missing_model' }), 1);
  });

  test('prompt and completion from log records are joined to their span, whichever arrives first', async () => {
    const before = s.kafka.sent.length;
    const traceId = Buffer.from(`${'a'.repeat(24)}00000020`, 'hex');
    const spanId = Buffer.from(`${'b'.repeat(8)}00000020`, 'hex');
    const logs = (content: string, reply: string) => logRequest([
      { traceId, spanId, timeUnixNano: NOW_NS.toString(), attributes: [kv('event.name', 'gen_ai.user.message')], body: { kvlistValue: { values: [kv('content', content)] } } },
      { traceId, spanId, timeUnixNano: NOW_NS.toString(), eventName: 'gen_ai.choice', body: { kvlistValue: { values: [kv('index', 0), { key: 'message', value: { kvlistValue: { values: [kv('content', reply)] } } }] } } },
    ]);
    // logs first
    assert.equal((await post(s.srv.port, '/v1/logs', logs('call me on +44 20 7946 0958', 'Sure.'))).status, 200);
    assert.equal((await post(s.srv.port, '/v1/traces', traceRequest([span(0x20, genai())]))).status, 200);
    // span first: it waits (contentWaitMs) because this service is known to send content logs
    const traceId2 = Buffer.from(`${'a'.repeat(24)}00000021`, 'hex');
    const spanId2 = Buffer.from(`${'b'.repeat(8)}00000021`, 'hex');
    const pending = post(s.srv.port, '/v1/traces', traceRequest([span(0x21, genai())]));
    await new Promise((r) => setTimeout(r, 50));
    const late = logRequest([
      { traceId: traceId2, spanId: spanId2, attributes: [kv('event.name', 'gen_ai.user.message')], body: { kvlistValue: { values: [kv('content', 'second question')] } } },
      { traceId: traceId2, spanId: spanId2, attributes: [kv('event.name', 'gen_ai.choice')], body: { kvlistValue: { values: [{ key: 'message', value: { kvlistValue: { values: [kv('content', 'second answer')] } } }] } } },
    ]);
    assert.equal((await post(s.srv.port, '/v1/logs', late)).status, 200);
    assert.equal((await pending).status, 200);
    const evs = (await s.kafka.events()).slice(before);
    assert.deepEqual(evs.map((e) => [e.prompt, e.completion]), [['call me on +44 20 7946 0958', 'Sure.'], ['second question', 'second answer']]);
  });

  test('OTLP/JSON: hex ids, string nanos, camelCase; answered in JSON', async () => {
    const before = s.kafka.sent.length;
    const body = JSON.stringify({
      resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'search' } }, { key: 'deployment.environment', value: { stringValue: 'staging' } }] },
        scopeSpans: [{ spans: [{
          traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'chat gpt-4o', kind: 3,
          startTimeUnixNano: NOW_NS.toString(), endTimeUnixNano: (NOW_NS + 1_000_000_000n).toString(),
          attributes: [
            { key: 'gen_ai.system', value: { stringValue: 'openai' } }, { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
            { key: 'gen_ai.usage.prompt_tokens', value: { intValue: '12' } }, { key: 'gen_ai.usage.completion_tokens', value: { intValue: 3 } },
            { key: 'error.type', value: { stringValue: 'RateLimitError' } },
          ],
          status: { code: 2, message: 'rate limited' },
        }] }],
      }],
    });
    const res = await post(s.srv.port, '/v1/traces', body, { 'content-type': 'application/json' });
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body.toString()), {});
    const [ev] = (await s.kafka.events()).slice(before);
    assert.equal(ev!.gateway_id, 'search');
    assert.equal(ev!.environment, 'staging');
    assert.equal(ev!.status_code, 429);
    assert.equal(ev!.error_code, 'RateLimitError');
    assert.equal(ev!.input_tokens, 12);
    assert.equal(ev!.api_key_id, 'service:search', 'no api key attribute: the service stands in, counted');
    assert.equal(ev!.latency_ms, 1000);
    assert.ok(s.metrics.counterValue('llm_audit_intake_defaulted_total', { note: 'missing_api_key' }) >= 1);
  });
});

describe('bad input gets a clear 4xx, never a crash', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  before(async () => (s = await setup({ maxBodyBytes: 1024 * 1024, maxDecompressedBytes: 4 * 1024 * 1024 })));
  after(() => s.close());

  test('unknown sender and missing token: 401', async () => {
    assert.equal((await post(s.srv.port, '/v1/traces', traceRequest([]), { authorization: 'Bearer not-a-known-token-xyz' })).status, 401);
    assert.equal((await post(s.srv.port, '/v1/traces', traceRequest([]), { authorization: '' })).status, 401);
  });

  test('malformed protobuf and JSON: 400 with a google.rpc.Status saying why', async () => {
    const pb = await post(s.srv.port, '/v1/traces', Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01]));
    assert.equal(pb.status, 400);
    assert.match((RpcStatus.decode(pb.body) as unknown as { message: string }).message, /not a valid ExportTraceServiceRequest/);
    const js = await post(s.srv.port, '/v1/traces', '{"resourceSpans": [', { 'content-type': 'application/json' });
    assert.equal(js.status, 400);
    assert.match(JSON.parse(js.body.toString()).message, /not JSON/);
    const shape = await post(s.srv.port, '/v1/traces', '{"resourceSpans": 5}', { 'content-type': 'application/json' });
    assert.equal(shape.status, 400);
    assert.equal((await post(s.srv.port, '/v1/traces', 'x', { 'content-type': 'text/plain' })).status, 415);
  });

  test('a body over the cap (declared 100 MB, or streamed) gets 413; a gzip bomb gets 413 and is counted', async () => {
    const declared = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.srv.port, path: '/v1/traces', method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-protobuf', 'content-length': String(100 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(64 * 1024));
    });
    assert.equal(declared, 413);
    const streamed = await post(s.srv.port, '/v1/traces', Buffer.alloc(2 * 1024 * 1024, 1), { 'transfer-encoding': 'chunked' }).catch((e: Error) => ({ status: e.message.includes('EPIPE') || e.message.includes('ECONNRESET') ? 413 : 0 }));
    assert.equal(streamed.status, 413);
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 1024 * 1024, 'the bomb itself is under the wire cap');
    const r = await post(s.srv.port, '/v1/traces', bomb, { 'content-encoding': 'gzip' });
    assert.equal(r.status, 413);
    assert.equal(s.metrics.counterValue('llm_audit_intake_refused_total', { reason: 'gzip_too_large' }), 1);
    const ok = await post(s.srv.port, '/v1/traces', gzipSync(traceRequest([span(40, genai())])), { 'content-encoding': 'gzip' });
    assert.equal(ok.status, 200, 'a normal gzip body is accepted');
    assert.equal((await post(s.srv.port, '/v1/traces', Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status, 400);
  });
});

describe('backpressure and Kafka failures', () => {
  test('while Kafka has not acknowledged maxInflightEvents, new requests get 503 with Retry-After; a Kafka failure is 503 too', async () => {
    const s = await setup({ maxInflightEvents: 1, retryAfterSeconds: 7 });
    try {
      let release!: () => void;
      s.kafka.hold = new Promise((r) => (release = r));
      const first = post(s.srv.port, '/v1/traces', traceRequest([span(50, genai())]));
      for (let i = 0; i < 200 && s.intake.inflight === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(s.intake.inflight, 1, 'the first request waits for Kafka');
      const second = await post(s.srv.port, '/v1/traces', traceRequest([span(51, genai())]));
      assert.equal(second.status, 503);
      assert.equal(second.headers['retry-after'], '7');
      release();
      assert.equal((await first).status, 200);
      s.kafka.hold = undefined;
      s.kafka.fail = true;
      const failed = await post(s.srv.port, '/v1/traces', traceRequest([span(52, genai())]));
      assert.equal(failed.status, 503);
      assert.equal(failed.headers['retry-after'], '7');
      assert.equal(s.intake.counters.errored, 1);
    } finally {
      await s.close();
    }
  });
});

describe('LiteLLM StandardLoggingPayload', () => {
  test('one payload or a list: model, tokens, status, key hash, user, environment, content; bad items rejected and counted', async () => {
    const s = await setup();
    try {
      const one = await post(s.srv.port, '/litellm', JSON.stringify(litellmSuccess), { 'content-type': 'application/json' });
      assert.equal(one.status, 200);
      const list = await post(s.srv.port, '/litellm', JSON.stringify([litellmFailure, litellmWrongTypes, litellmAbsurd]), { 'content-type': 'application/json' });
      assert.equal(list.status, 200);
      const r = JSON.parse(list.body.toString()) as { accepted: number; rejected: number; errors: string[] };
      assert.equal(r.accepted, 1);
      assert.equal(r.rejected, 2);
      const [ok, fail] = await s.kafka.events();
      assert.equal(ok!.model, 'gpt-4o');
      assert.equal(ok!.provider, 'openai');
      assert.equal(ok!.operation, 'chat');
      assert.equal(ok!.input_tokens, 70);
      assert.equal(ok!.output_tokens, 25);
      assert.equal(ok!.status_code, 200);
      assert.equal(ok!.api_key_id, litellmSuccess.metadata.user_api_key_hash);
      assert.equal(ok!.principal_id, 'customer-991');
      assert.equal(ok!.environment, 'prod');
      assert.equal(ok!.source_ip, '81.2.69.160');
      assert.equal(ok!.latency_ms, 1500);
      assert.equal(ok!.occurred_at, 1764583200123);
      assert.match(ok!.prompt!, /charged twice/);
      assert.equal(ok!.completion, 'I have opened a refund request for the duplicate charge.');
      assert.equal(fail!.status_code, 429);
      assert.equal(fail!.error_code, 'RateLimitError');
      assert.equal(s.metrics.counterValue('llm_audit_intake_litellm_cost_usd_total', { team: 'payments' }), 0.000875);
      assert.equal((await post(s.srv.port, '/litellm', '[{', { 'content-type': 'application/json' })).status, 400);
    } finally {
      await s.close();
    }
  });
});

describe('pieces', () => {
  test('tokens: sender:token pairs; short tokens and bad entries are config errors; lookup is by bearer', () => {
    const t = parseTokens(`a:${TOKEN}\nb:${TOKEN}x`);
    assert.equal(senderOf(`Bearer ${TOKEN}`, t), 'a');
    assert.equal(senderOf(`Bearer ${TOKEN}x`, t), 'b');
    assert.equal(senderOf(`Basic ${TOKEN}`, t), undefined);
    assert.throws(() => parseTokens('a:short'), /shorter than 16/);
    assert.throws(() => parseTokens('justatoken'), /sender:token/);
  });

  test('status from http.response.status_code, error.type and span status', () => {
    const base: OtlpSpan = { traceId: '', spanId: '', name: '', startMs: 0, endMs: 0, attrs: {}, events: [], statusCode: 0, statusMessage: '' };
    assert.deepEqual(statusOf(base), { status: 200, error: null });
    assert.deepEqual(statusOf({ ...base, attrs: { 'http.response.status_code': 401 } }), { status: 401, error: '401' });
    assert.deepEqual(statusOf({ ...base, statusCode: 2, attrs: { 'error.type': 'openai.AuthenticationError' } }), { status: 401, error: 'openai.AuthenticationError' });
    assert.deepEqual(statusOf({ ...base, statusCode: 2, attrs: { 'error.type': '503' } }), { status: 503, error: '503' });
    assert.deepEqual(statusOf({ ...base, statusCode: 2, statusMessage: 'boom' }), { status: 500, error: 'boom' });
  });

  test('text of messages in their several shapes', () => {
    assert.equal(textOf('[{"role":"user","parts":[{"type":"text","content":"hi"}]}]'), 'hi');
    assert.equal(textOf({ message: { content: 'x' } }), 'x');
    assert.equal(textOf([{ content: 'a' }, { content: 'b' }]), 'a\nb');
    assert.equal(textOf('{not json'), '{not json');
  });

  test('nanosecond times to milliseconds exactly, from protobuf Longs, strings and numbers', async () => {
    const { nanosToMs } = await import('./otlp.js');
    // a value whose float conversion lands one millisecond short
    const ns = 1796163083002000000n;
    const long = { high: Number(ns >> 32n), low: Number(ns & 0xffffffffn) | 0 };
    assert.equal(nanosToMs(long), 1796163083002);
    assert.equal(nanosToMs(ns.toString()), 1796163083002);
    assert.equal(nanosToMs('1796163083639999999'), 1796163083639);
    assert.throws(() => nanosToMs('-5'), /unsigned nanoseconds/);
  });

  test('attribute values nested absurdly deep are a bad payload, not a stack overflow', () => {
    let v: Record<string, unknown> = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) v = { arrayValue: { values: [v] } };
    const body = traceRequest([span(60, genai(), { attributes: [{ key: 'deep', value: v }] })]);
    assert.throws(() => decodeTraces(body, 'protobuf'), /nest deeper/);
  });
});

describe('what the OpenTelemetry JS SDK serializes', () => {
  test('OTLP/JSON and protobuf from the SDK serializers decode to the same spans', async () => {
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const { JsonTraceSerializer, ProtobufTraceSerializer } = await import('@opentelemetry/otlp-transformer');
    const { resourceFromAttributes } = await import('@opentelemetry/resources');
    const exp = new InMemorySpanExporter();
    const tp = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'svc' }), spanProcessors: [new SimpleSpanProcessor(exp)] });
    const sp = tp.getTracer('t').startSpan('chat m', { attributes: { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 7, 'gen_ai.request.stop_sequences': ['a', 'b'], 'gen_ai.request.temperature': 0.5 } });
    sp.addEvent('gen_ai.user.message', { content: 'hello' });
    sp.end();
    const spans = exp.getFinishedSpans();
    const fromJson = decodeTraces(Buffer.from(JsonTraceSerializer.serializeRequest(spans)!), 'json');
    const fromProto = decodeTraces(Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), 'protobuf');
    assert.deepEqual(fromJson, fromProto);
    const s0 = fromProto[0]!.items[0]!;
    assert.equal(s0.traceId, spans[0]!.spanContext().traceId);
    assert.equal(s0.spanId, spans[0]!.spanContext().spanId);
    assert.deepEqual(s0.attrs, { 'gen_ai.request.model': 'm', 'gen_ai.usage.input_tokens': 7, 'gen_ai.request.stop_sequences': ['a', 'b'], 'gen_ai.request.temperature': 0.5 });
    assert.deepEqual(s0.events, [{ name: 'gen_ai.user.message', attrs: { content: 'hello' } }]);
    assert.equal(fromProto[0]!.resource['service.name'], 'svc');
    assert.ok(Math.abs(s0.startMs - Date.now()) < 60_000);
  });
});

describe('what LiteLLM itself emits', () => {
  test('payloads captured from LiteLLM map to valid events: success and a rate-limited failure', () => {
    const opts = { apiKeyField: 'hash' as const, defaultEnvironment: 'dev' as const, maxContentChars: 1000, sender: 'proxy' };
    const [ok, fail] = litellmCaptured.map((p) => validateEvent(liteLlmToEvent(p, opts).event));
    assert.equal(ok!.model, 'gpt-4o-mini');
    assert.equal(ok!.provider, 'openai');
    assert.equal(ok!.operation, 'chat');
    assert.deepEqual([ok!.input_tokens, ok!.output_tokens, ok!.status_code], [10, 20, 200]);
    assert.equal(ok!.api_key_id, `hash-${'0'.repeat(58)}`);
    assert.equal(ok!.principal_id, 'u-4711');
    assert.equal(ok!.environment, 'prod', 'from spend_logs_metadata.environment');
    assert.equal(ok!.prompt, 'My email is jane.roe@example.com');
    assert.equal(ok!.completion, 'Noted.');
    assert.ok(ok!.latency_ms > 0 && ok!.latency_ms < 10_000);
    assert.deepEqual([fail!.status_code, fail!.error_code], [429, 'RateLimitError']);
    assert.equal(fail!.completion, null);
    assert.equal(liteLlmToEvent(litellmCaptured[0], opts).cost, 0.0000135);
    assert.equal(liteLlmToEvent(litellmCaptured[0], opts).team, 'payments');
  });
});

describe('OTLP AnyValue decoding', () => {
  // upstream's definition, with its `oneof value`, as an exporter encodes it; ours decodes without the oneof
  const upstream = protobuf.parse(`
    syntax = "proto3";
    message AnyValue { oneof value { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5; KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
    message ArrayValue { repeated AnyValue values = 1; }
    message KeyValueList { repeated KeyValue values = 1; }
    message KeyValue { string key = 1; AnyValue value = 2; }
    message Span { bytes trace_id = 1; bytes span_id = 2; repeated KeyValue attributes = 9; }
    message ScopeSpans { repeated Span spans = 2; }
    message ResourceSpans { repeated ScopeSpans scope_spans = 2; }
    message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }`).root.lookupType('ExportTraceServiceRequest');
  const values: [string, object, unknown][] = [
    ['empty string', { stringValue: '' }, ''],
    ['zero int', { intValue: 0 }, 0],
    ['false', { boolValue: false }, false],
    ['large int', { intValue: 2 ** 40 + 3 }, 2 ** 40 + 3],
    ['double', { doubleValue: 0.25 }, 0.25],
    ['bytes', { bytesValue: Buffer.from('hi') }, Buffer.from('hi').toString('base64')],
    ['array', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } }, ['a', 2]],
    ['kvlist', { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'x' } }] } }, { content: 'x' }],
    ['unset', {}, null],
  ];
  test('every kind, zero values included, reads the same as upstream encodes it', () => {
    const attributes = values.map(([key, value]) => ({ key, value }));
    const body = Buffer.from(upstream.encode(upstream.fromObject({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), attributes }] }] }] })).finish());
    const attrs = decodeTraces(body, 'protobuf')[0]!.items[0]!.attrs;
    for (const [key, , want] of values) assert.deepEqual(attrs[key], want, key);
    // two members on the wire (only a hostile sender does that): one of them is taken, nothing throws
    const ld = (tag: number, b: Buffer) => Buffer.concat([Buffer.from([tag, b.length]), b]);
    const anyValue = Buffer.from([0x0a, 1, 0x73, 0x18, 5]); // string_value "s" and int_value 5
    const both = ld(0x0a, ld(0x12, ld(0x12, ld(0x4a, Buffer.concat([ld(0x0a, Buffer.from('k')), ld(0x12, anyValue)])))));
    assert.ok(['s', 5].includes(decodeTraces(both, 'protobuf')[0]!.items[0]!.attrs.k as string));
  });
});
