import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ProducerRecord, RecordMetadata } from 'kafkajs';
import { LocalSchemaSource } from '../common/avro.js';
import { ConfigError, InvalidInputError, LlmAuditError } from '../common/errors.js';
import { MetricsRegistry } from '../common/metrics.js';
import type { UsageEvent } from '../common/types.js';
import { usageDecoder } from '../common/usage.js';
import { sdkConfig } from './config.js';
import { UsageEmitter, type ProducerLike } from './emitter.js';

const schemas = new LocalSchemaSource();

export function sampleEvent(over: Partial<UsageEvent> = {}): UsageEvent {
  return {
    event_id: randomUUID(), occurred_at: 1_767_225_600_000, gateway_id: 'gw-test', environment: 'prod', provider: 'openai',
    operation: 'chat.completions', model: 'gpt-4o-mini', model_version: 'gpt-4o-mini-2024-07-18', api_key_id: 'key_a',
    principal_id: 'user-1', source_ip: '81.2.69.160', user_agent: 'openai-node/5.23.2', status_code: 200, error_code: null,
    input_tokens: 120, output_tokens: 40, latency_ms: 300, request_id: 'req_1', prompt: null, completion: null, ...over,
  };
}

/** Records every send; `gate` lets a test hold sends to fill the buffer. */
class FakeProducer implements ProducerLike {
  sends: ProducerRecord[] = [];
  connected = false;
  disconnected = false;
  gate?: Promise<void>;
  failNext = 0;
  async connect() { this.connected = true; }
  async disconnect() { this.disconnected = true; }
  async send(r: ProducerRecord): Promise<RecordMetadata[]> {
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw Object.assign(new Error('Not authorized to access topics'), { name: 'KafkaJSProtocolError', retriable: false });
    }
    this.sends.push(r);
    return [];
  }
  keys(): string[] { return this.sends.flatMap((s) => s.messages.map((m) => String(m.key))); }
}

function emitterWith(p: FakeProducer, config: Record<string, unknown> = {}) {
  const metrics = new MetricsRegistry();
  return { e: new UsageEmitter({ producer: p, schemaSource: schemas, topic: 'llm.usage.v1', config, metrics }), metrics };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

test('sdk config parses text values, applies defaults and rejects unknown keys', () => {
  const cases: [Record<string, unknown>, Record<string, unknown> | RegExp][] = [
    [{}, { lingerMs: 20, batchSize: 500, maxBufferedEvents: 10_000, compression: 'none', topic: undefined }],
    [{ lingerMs: '5', batchSize: '50', compression: 'gzip', topic: 't1' }, { lingerMs: 5, batchSize: 50, compression: 'gzip', topic: 't1' }],
    [{ lingerMs: '-1' }, /lingerMs .*>= 0/],
    [{ batchSize: 'many' }, /batchSize .*integer/],
    [{ compression: 'zstd' }, /compression .*none, gzip/],
    [{ lingerMS: 5 }, /unknown config key\(s\) lingerMS/],
  ];
  for (const [input, want] of cases) {
    if (want instanceof RegExp) assert.throws(() => sdkConfig.parse(input), (e: unknown) => e instanceof ConfigError && want.test((e as Error).message));
    else assert.deepEqual(Object.fromEntries(Object.keys(want).map((k) => [k, (sdkConfig.parse(input) as Record<string, unknown>)[k]])), want);
  }
  assert.equal(sdkConfig.fromEnv({ LLM_AUDIT_SDK_LINGER_MS: '7' }).lingerMs, 7);
});

test('an invalid event is rejected synchronously with the field named, counted as dropped and never sent', async () => {
  const p = new FakeProducer();
  const { e } = emitterWith(p, { lingerMs: 0 });
  await e.start();
  const bad: [Record<string, unknown>, string][] = [
    [{ ...sampleEvent(), api_key_id: '' }, 'api_key_id'],
    [{ ...sampleEvent(), status_code: 999 }, 'status_code'],
    [{ ...sampleEvent(), occurred_at: 1_767_225_600 }, 'occurred_at'],
    [{ ...sampleEvent(), environment: 'qa' }, 'environment'],
    [{ ...sampleEvent(), api_key: 'sk-live' }, 'api_key'],
    [{ ...sampleEvent(), input_tokens: 1.5 }, 'input_tokens'],
  ];
  for (const [ev, field] of bad) {
    // no await: the throw must happen before any promise exists
    assert.throws(() => e.emit(ev), (err: unknown) => err instanceof InvalidInputError && err.message.includes(`field ${field}`), field);
  }
  await e.flush();
  assert.equal(p.sends.length, 0);
  assert.equal(e.counters.dropped, bad.length);
  assert.equal(e.counters.sent, 0);
});

test('events are Avro-framed, keyed by api_key_id, batched by size, and the rest goes on flush', async () => {
  const p = new FakeProducer();
  const { e } = emitterWith(p, { batchSize: 3, lingerMs: 60_000 });
  const events = Array.from({ length: 7 }, (_, i) => sampleEvent({ api_key_id: `key_${i % 2}`, input_tokens: i }));
  for (const ev of events) await e.emit(ev);
  await tick();
  assert.deepEqual(p.sends.map((s) => s.messages.length), [3, 3], 'two full batches go without waiting for linger');
  await e.flush();
  assert.deepEqual(p.sends.map((s) => s.messages.length), [3, 3, 1]);
  assert.equal(p.sends[0]!.acks, -1);
  assert.equal(p.sends[0]!.topic, 'llm.usage.v1');
  const dec = usageDecoder(schemas);
  const decoded = await Promise.all(p.sends.flatMap((s) => s.messages.map((m) => dec.decode(m.value as Buffer))));
  assert.deepEqual(decoded.map((d) => ({ ...d })), events);
  assert.deepEqual(p.keys(), events.map((ev) => ev.api_key_id));
  assert.equal(e.counters.received, 7);
  assert.equal(e.counters.sent, 7);
});

test('a partial batch leaves after lingerMs without a flush', async () => {
  const p = new FakeProducer();
  const { e } = emitterWith(p, { batchSize: 100, lingerMs: 15 });
  await e.emit(sampleEvent());
  await e.emit(sampleEvent());
  assert.equal(p.sends.length, 0);
  await tick(60);
  assert.deepEqual(p.sends.map((s) => s.messages.length), [2]);
  await e.close();
});

test('when maxBufferedEvents is reached emit() waits for room and order is kept', async () => {
  const p = new FakeProducer();
  let open!: () => void;
  p.gate = new Promise((r) => (open = r));
  const { e } = emitterWith(p, { batchSize: 2, lingerMs: 0, maxBufferedEvents: 4 });
  const events = Array.from({ length: 6 }, (_, i) => sampleEvent({ input_tokens: i }));
  let accepted = 0;
  const emits = events.map((ev) => e.emit(ev).then(() => accepted++));
  await tick(20);
  assert.equal(accepted, 4, 'the 5th and 6th wait while 4 are held');
  assert.equal(e.buffered, 6);
  open();
  await Promise.all(emits);
  await e.flush();
  const dec = usageDecoder(schemas);
  const tokens = await Promise.all(p.sends.flatMap((s) => s.messages.map(async (m) => (await dec.decode(m.value as Buffer)).input_tokens)));
  assert.deepEqual(tokens, [0, 1, 2, 3, 4, 5]);
  assert.equal(e.buffered, 0);
});

test('the byte bound also applies backpressure', async () => {
  const p = new FakeProducer();
  let open!: () => void;
  p.gate = new Promise((r) => (open = r));
  const { e } = emitterWith(p, { batchSize: 10, lingerMs: 0, maxBufferedBytes: 1024 });
  const big = () => sampleEvent({ prompt: 'x'.repeat(300) });
  let accepted = 0;
  const emits = [big(), big(), big()].map((ev) => e.emit(ev).then(() => accepted++));
  await tick(20);
  assert.equal(accepted, 2, 'two ~450-byte events fit in 1 KiB, the third waits');
  open();
  await Promise.all(emits);
  await e.flush();
  assert.equal(e.counters.sent, 3);
});

test('an undeliverable batch is counted as errored, reported by flush, and later events still go', async () => {
  const p = new FakeProducer();
  const seen: number[] = [];
  const e = new UsageEmitter({ producer: p, schemaSource: schemas, topic: 't', config: { lingerMs: 0 }, metrics: new MetricsRegistry(), onError: (_err, n) => seen.push(n) });
  p.failNext = 1;
  await e.emit(sampleEvent());
  await e.emit(sampleEvent());
  await assert.rejects(e.flush(), (err: unknown) => err instanceof LlmAuditError && /2 usage event\(s\) could not be delivered/.test(err.message) && err.cause instanceof LlmAuditError);
  assert.deepEqual(seen, [2]);
  assert.equal(e.counters.errored, 2);
  await e.emit(sampleEvent());
  await e.flush();
  assert.equal(e.counters.sent, 1);
});

test('close() flushes, disconnects once, and emit() afterwards throws', async () => {
  const p = new FakeProducer();
  const { e } = emitterWith(p, { lingerMs: 60_000 });
  await e.emit(sampleEvent());
  await Promise.all([e.close(), e.close()]);
  assert.equal(p.sends.length, 1);
  assert.ok(p.disconnected);
  assert.throws(() => e.emit(sampleEvent()), /closed/);
});

test('the emitter counts under stage "sdk" in the metrics text', async () => {
  const p = new FakeProducer();
  const { e, metrics } = emitterWith(p, { lingerMs: 0 });
  await e.emit(sampleEvent());
  await e.flush();
  assert.match(metrics.render(), /llm_audit_events_sent_total\{stage="sdk"\} 1/);
});
