import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { UsageEvent } from '../common/types.js';
import { validateEvent } from '../decode/validate.js';
import { instrumentOpenAI, NO_RESPONSE_STATUS, type InstrumentOptions } from './openai.js';

/** A local stand-in for api.openai.com: realistic bodies, usage and x-request-id; the model name picks the failure. */
let server: Server;
let baseURL: string;
let requests = 0;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

before(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const rid = `req_${(++requests).toString(16).padStart(12, '0')}`;
    const json = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': rid, ...extra });
      res.end(JSON.stringify(payload));
    };
    if (body.model === 'gpt-4o-revoked') {
      return json(401, { error: { message: 'Incorrect API key provided: sk-proj-****abcd.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    if (body.model === 'gpt-4o-busy') {
      return json(429, { error: { message: 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 500.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '1' });
    }
    if (req.url === '/v1/chat/completions' && body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-request-id': rid });
      const base = { id: 'chatcmpl-s1', object: 'chat.completion.chunk', created: 1_767_225_600, model: 'gpt-4o-mini-2024-07-18' };
      for (const piece of ['Hel', 'lo', '!']) res.write(`data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ ...base, choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    if (req.url === '/v1/chat/completions') {
      return json(200, {
        id: 'chatcmpl-abc123', object: 'chat.completion', created: 1_767_225_600, model: 'gpt-4o-mini-2024-07-18',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital of France.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 25, completion_tokens: 8, total_tokens: 33, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } },
        system_fingerprint: 'fp_0ba0d124f1',
      });
    }
    if (req.url === '/v1/responses') {
      return json(200, {
        id: 'resp_67ccd2bed1ec8190', object: 'response', created_at: 1_767_225_600, status: 'completed', model: 'gpt-4.1-2025-04-14',
        output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'A haiku about audits.', annotations: [] }] }],
        usage: { input_tokens: 36, input_tokens_details: { cached_tokens: 0 }, output_tokens: 87, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 123 },
      });
    }
    if (req.url === '/v1/embeddings') {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return json(200, {
        object: 'list', model: 'text-embedding-3-small',
        data: inputs.map((_, i) => ({ object: 'embedding', index: i, embedding: [0.0023, -0.0093, 0.0158] })),
        usage: { prompt_tokens: 8 * inputs.length, total_tokens: 8 * inputs.length },
      });
    }
    json(404, { error: { message: 'not found', type: 'invalid_request_error', code: null } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

after(() => new Promise<void>((r) => server.close(() => r())));

class CollectingSink {
  events: UsageEvent[] = [];
  async emit(e: UsageEvent) {
    // the real emitter validates; so does this sink, so an event the emitter would refuse fails the test
    this.events.push(validateEvent({ ...e }));
  }
}

const base: InstrumentOptions = { apiKeyId: 'key_test01', gatewayId: 'gw-test', environment: 'staging' };

function setup(opts: Partial<InstrumentOptions> = {}, url = baseURL) {
  const sink = new CollectingSink();
  const errors: unknown[] = [];
  const client = instrumentOpenAI(new OpenAI({ apiKey: 'test', baseURL: url, maxRetries: 0 }), sink, { ...base, onError: (e) => errors.push(e), ...opts });
  return { client, sink, errors };
}

test('chat.completions.create emits one event with usage, served model, request id and latency; text stays out by default', async () => {
  const { client, sink, errors } = setup({ principalId: 'svc-faq' });
  const t0 = Date.now();
  const res = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Capital of France? My SSN is 078-05-1120' }] });
  assert.equal(res.choices[0]!.message.content, 'Paris is the capital of France.', 'the caller gets the response untouched');
  assert.deepEqual(errors, []);
  assert.equal(sink.events.length, 1);
  const e = sink.events[0]!;
  assert.equal(e.operation, 'chat.completions');
  assert.equal(e.provider, 'openai');
  assert.equal(e.model, 'gpt-4o-mini');
  assert.equal(e.model_version, 'gpt-4o-mini-2024-07-18');
  assert.equal(e.status_code, 200);
  assert.equal(e.error_code, null);
  assert.equal(e.input_tokens, 25);
  assert.equal(e.output_tokens, 8);
  assert.equal(e.request_id, res._request_id);
  assert.match(e.request_id!, /^req_/);
  assert.equal(e.api_key_id, 'key_test01');
  assert.equal(e.principal_id, 'svc-faq');
  assert.equal(e.environment, 'staging');
  assert.match(e.user_agent!, /^OpenAI\/JS \d/);
  assert.ok(e.occurred_at >= t0 && e.occurred_at <= Date.now());
  assert.ok(e.latency_ms >= 0 && e.latency_ms < 5_000);
  assert.equal(e.prompt, null);
  assert.equal(e.completion, null);
});

test('captureText puts prompt and completion on the event; withResponse() still works for the caller', async () => {
  const { client, sink } = setup({ captureText: true });
  const { data, response, request_id } = await client.chat.completions
    .create({ model: 'gpt-4o-mini', user: 'user-42', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Capital of France?' }] }] })
    .withResponse();
  assert.equal(response.status, 200);
  assert.equal(data.usage?.total_tokens, 33);
  const e = sink.events[0]!;
  assert.equal(e.request_id, request_id);
  assert.equal(e.principal_id, 'user-42', 'the request `user` is the default principal');
  assert.equal(e.prompt, 'system: Be brief.\nuser: Capital of France?');
  assert.equal(e.completion, 'Paris is the capital of France.');
});

test('responses.create and embeddings.create are instrumented with their own usage fields', async () => {
  const { client, sink } = setup({ captureText: true });
  const r = await client.responses.create({ model: 'gpt-4.1', instructions: 'Poet.', input: 'Write a haiku about audits.' });
  assert.equal(r.output_text, 'A haiku about audits.');
  await client.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha', 'beta'] });
  const [resp, emb] = sink.events;
  assert.equal(resp!.operation, 'responses');
  assert.equal(resp!.model_version, 'gpt-4.1-2025-04-14');
  assert.deepEqual([resp!.input_tokens, resp!.output_tokens], [36, 87]);
  assert.equal(resp!.prompt, 'system: Poet.\nuser: Write a haiku about audits.');
  assert.equal(resp!.completion, 'A haiku about audits.');
  assert.equal(emb!.operation, 'embeddings');
  assert.deepEqual([emb!.input_tokens, emb!.output_tokens], [16, 0]);
  assert.equal(emb!.prompt, 'alpha\nbeta');
  assert.equal(emb!.completion, null);
});

test('a 401 and a 429 become events with the status, the error code and the request id; the caller still gets the APIError', async () => {
  const { client, sink } = setup();
  const cases = [
    { model: 'gpt-4o-revoked', status: 401, code: 'invalid_api_key', cls: OpenAI.AuthenticationError },
    { model: 'gpt-4o-busy', status: 429, code: 'rate_limit_exceeded', cls: OpenAI.RateLimitError },
  ];
  for (const c of cases) {
    let thrown: InstanceType<typeof OpenAI.APIError> | undefined;
    await assert.rejects(client.chat.completions.create({ model: c.model, messages: [{ role: 'user', content: 'hi' }] }), (err: unknown) => {
      thrown = err as InstanceType<typeof OpenAI.APIError>;
      return err instanceof c.cls;
    });
    const e = sink.events.at(-1)!;
    assert.equal(e.status_code, c.status);
    assert.equal(e.error_code, c.code);
    assert.equal(e.request_id, thrown!.requestID);
    assert.equal(e.model, c.model);
    assert.equal(e.model_version, null);
    assert.deepEqual([e.input_tokens, e.output_tokens], [0, 0]);
  }
  assert.equal(sink.events.length, 2);
});

test('a refused connection is recorded as 599 connection_error', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const { client, sink } = setup({}, `http://127.0.0.1:${port}/v1`);
  await assert.rejects(client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }), OpenAI.APIConnectionError);
  assert.equal(sink.events[0]!.status_code, NO_RESPONSE_STATUS);
  assert.equal(sink.events[0]!.error_code, 'connection_error');
});

test('a streamed chat completion emits once, after the stream is read, with the final usage chunk', async () => {
  const { client, sink } = setup({ captureText: true });
  const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Say hello' }] });
  assert.equal(sink.events.length, 0, 'nothing before the stream is consumed');
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(text, 'Hello!');
  assert.equal(sink.events.length, 1);
  const e = sink.events[0]!;
  assert.deepEqual([e.input_tokens, e.output_tokens], [9, 3]);
  assert.equal(e.model_version, 'gpt-4o-mini-2024-07-18');
  assert.equal(e.completion, 'Hello!');
  assert.match(e.request_id!, /^req_/);
});

test('instrumenting twice does not double-emit, and a sink failure never breaks the API call', async () => {
  const errors: unknown[] = [];
  let calls = 0;
  const sink = { emit: async () => { calls++; throw new Error('kafka down'); } };
  const client = new OpenAI({ apiKey: 'test', baseURL, maxRetries: 0 });
  instrumentOpenAI(client, sink, { ...base, onError: (e) => errors.push(e) });
  instrumentOpenAI(client, sink, { ...base, onError: (e) => errors.push(e) });
  const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
  assert.equal(res.data.length, 1);
  await new Promise((r) => setImmediate(r));
  assert.equal(calls, 1);
  assert.equal(errors.length, 1);
  assert.match((errors[0] as Error).message, /kafka down/);
});
