import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { OpenAIInstrumentation } from '@opentelemetry/instrumentation-openai';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ensureTopics, projectTopics } from '../services/common/kafka.js';
import { intakeConfig } from '../services/intake/config.js';
import { startIntake, type IntakeService } from '../services/intake/service.js';
import { TestStack } from './pipeline-harness.js';
import { waitFor } from './helpers.js';

/** A local stand-in for api.openai.com (as in the SDK tests): a completion with usage, or a 429 for gpt-4o-busy. */
export async function fakeOpenAI(): Promise<{ server: Server; baseURL: string }> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: string };
    const json = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_1', ...extra });
      res.end(JSON.stringify(payload));
    };
    if (body.model === 'gpt-4o-busy') {
      return json(429, { error: { message: 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 500.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '0' });
    }
    json(200, {
      id: 'chatcmpl-abc123', object: 'chat.completion', created: 1_767_225_600, model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'I will write to jane.roe@example.com today.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 25, completion_tokens: 8, total_tokens: 33 },
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

export const INTAKE_TOKEN = ['otel', '-sender-', 'secret-', Date.now().toString(36)].join('');

describe('the OpenTelemetry JS SDK with the OpenAI instrumentation, through the intake and the pipeline, into Elasticsearch', () => {
  const stack = new TestStack('intake-otel');
  let openai: Awaited<ReturnType<typeof fakeOpenAI>>;
  let intake: IntakeService;
  let tracerProvider: NodeTracerProvider;
  let loggerProvider: LoggerProvider;

  before(async () => {
    const admin = stack.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, projectTopics(stack.core)).finally(() => admin.disconnect());
    openai = await fakeOpenAI();
    intake = await startIntake({
      core: stack.core,
      config: intakeConfig.parse({ port: 0, senderTokens: `checkout:${INTAKE_TOKEN}`, contentWaitMs: 5000 }),
      metrics: stack.metrics,
      kafka: stack.kafka,
    });
    await stack.startPipeline({ config: { stages: ['tokenize', 'attribute'] } });
  });

  after(async () => {
    await tracerProvider?.shutdown().catch(() => undefined);
    await loggerProvider?.shutdown().catch(() => undefined);
    await intake?.stop();
    await new Promise<void>((r) => openai.server.close(() => r()));
    await stack.close();
  });

  it('one audit document per LLM call, with model, tokens, status, service, environment and tokenized content; none for other spans', { timeout: 120_000 }, async () => {
    const headers = { Authorization: `Bearer ${INTAKE_TOKEN}` };
    const resource = resourceFromAttributes({ 'service.name': 'checkout-api', 'deployment.environment.name': 'production', 'llm_audit.api_key_id': 'key_checkout_prod' });
    tracerProvider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${intake.port}/v1/traces`, headers }))] });
    loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${intake.port}/v1/logs`, headers }) })] });
    registerInstrumentations({ tracerProvider, loggerProvider, instrumentations: [new OpenAIInstrumentation({ captureMessageContent: true })] });
    // the instrumentation hooks require(): load the real client through it
    const OpenAI = createRequire(import.meta.url)('openai') as typeof import('openai').default;
    const client = new OpenAI({ apiKey: ['sk-test-', 'not-a-real-key'].join(''), baseURL: openai.baseURL, maxRetries: 0 });
    const tracer = tracerProvider.getTracer('checkout');

    await tracer.startActiveSpan('POST /checkout', async (parent) => {
      await tracer.startActiveSpan('load cart', async (s) => s.end());
      const r = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'system', content: 'You are a support bot.' }, { role: 'user', content: 'My email is jane.roe@example.com, card 4111 1111 1111 1111' }],
      });
      assert.equal(r.usage?.prompt_tokens, 25);
      await assert.rejects(client.chat.completions.create({ model: 'gpt-4o-busy', messages: [{ role: 'user', content: 'hello again' }] }), /429|Rate limit/);
      parent.setStatus({ code: SpanStatusCode.OK });
      parent.end();
    });
    assert.ok(trace.getActiveSpan() === undefined);
    await loggerProvider.forceFlush();
    await tracerProvider.forceFlush();

    await waitFor(async () => (await stack.countDocs('events')) >= 2, { timeoutMs: 60_000, what: 'two audit documents' });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(await stack.countDocs('events'), 2, 'one document per LLM call, none for the HTTP or cart spans');
    assert.equal(intake.intake.counters.dropped, 2, 'the parent and cart spans were counted and dropped');

    const res = await stack.es.search({ index: `${stack.core.indexPrefix}-events-*`, size: 10, sort: [{ 'http.response.status_code': 'asc' }] });
    type D = { gen_ai: { request: { model: string }; response?: { model: string }; usage: { input_tokens: number; output_tokens: number }; system: string };
      http: { response: { status_code: number } }; error?: { code: string };
      llm_audit: { gateway: { id: string }; environment: string; api_key: { id: string }; request_id?: string; prompt?: string; completion?: string; pii?: { types: string[] } } };
    const [ok, busy] = res.hits.hits.map((h) => h._source as D);
    assert.equal(ok!.gen_ai.request.model, 'gpt-4o-mini');
    assert.equal(ok!.gen_ai.response?.model, 'gpt-4o-mini-2024-07-18');
    assert.equal(ok!.gen_ai.system, 'openai');
    assert.deepEqual([ok!.gen_ai.usage.input_tokens, ok!.gen_ai.usage.output_tokens], [25, 8]);
    assert.equal(ok!.http.response.status_code, 200);
    assert.equal(ok!.llm_audit.gateway.id, 'checkout-api');
    assert.equal(ok!.llm_audit.environment, 'prod');
    assert.equal(ok!.llm_audit.api_key.id, 'key_checkout_prod');
    assert.equal(ok!.llm_audit.request_id, 'chatcmpl-abc123');
    assert.ok(ok!.llm_audit.prompt && ok!.llm_audit.prompt.includes('support bot'), 'the prompt from the log records is there, tokenized');
    assert.ok(ok!.llm_audit.completion, 'the completion from the choice record is there');
    assert.ok(ok!.llm_audit.pii?.types.includes('EMAIL'), `PII found: ${JSON.stringify(ok!.llm_audit.pii)}`);
    assert.equal(busy!.http.response.status_code, 429);
    assert.equal(busy!.gen_ai.request.model, 'gpt-4o-busy');
    const raw = JSON.stringify(res.hits.hits.map((h) => h._source));
    assert.ok(!raw.includes('jane.roe@example.com'), 'no raw email in Elasticsearch');
    assert.ok(!raw.includes('4111 1111 1111 1111'), 'no raw card number in Elasticsearch');
  });
});
