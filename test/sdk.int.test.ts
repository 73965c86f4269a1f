import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics } from '../services/common/kafka.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { UsageEvent } from '../services/common/types.js';
import { usageDecoder } from '../services/common/usage.js';
import { createUsageEmitter } from '../services/sdk/emitter.js';
import { testCore, testKafka, uniqueName, waitFor } from './helpers.js';

/** Reads `n` messages of `topic` from the beginning, with their partition and key. */
export async function consumeAll(kafka: Kafka, topic: string, n: number, timeoutMs = 30_000) {
  const consumer = kafka.consumer({ groupId: uniqueName('sdk-int') });
  const got: { partition: number; offset: string; key: string; value: Buffer }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        got.push({ partition, offset: message.offset, key: message.key!.toString(), value: message.value! });
      },
    });
    await waitFor(async () => got.length >= n, { timeoutMs, what: `${n} messages on ${topic} (got ${got.length})` });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

test('the emitter writes Avro usage events keyed by api_key_id; each key stays ordered on one partition', { timeout: 90_000 }, async () => {
  const core = testCore();
  const kafka = testKafka(core);
  const topic = uniqueName('sdk-usage');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, numPartitions: 4, replicationFactor: 1 }]);
  await admin.disconnect();

  const emitter = await createUsageEmitter({ core, topic, config: { batchSize: 25, lingerMs: 5 }, metrics: new MetricsRegistry() });
  const keys = ['key_alpha', 'key_bravo', 'key_charlie', 'key_delta', 'key_echo', 'key_foxtrot'];
  const N = 300;
  const sent: UsageEvent[] = [];
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const ev: UsageEvent = {
      event_id: randomUUID(), occurred_at: t0 + i, gateway_id: 'gw-int', environment: 'staging', provider: 'openai', operation: 'chat.completions',
      model: 'gpt-4o-mini', model_version: null, api_key_id: keys[i % keys.length]!, principal_id: null, source_ip: null, user_agent: null,
      status_code: 200, error_code: null, input_tokens: i, output_tokens: 1, latency_ms: 10, request_id: `req_${i}`, prompt: null, completion: null,
    };
    sent.push(ev);
    await emitter.emit(ev);
  }
  await emitter.close();
  assert.equal(emitter.counters.sent, N);
  assert.equal(emitter.counters.errored, 0);

  const got = await consumeAll(testKafka(core), topic, N);
  assert.equal(got.length, N);
  const decoder = usageDecoder(new LocalSchemaSource());
  const partitionOf = new Map<string, number>();
  const seqByKey = new Map<string, number[]>();
  got.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
  for (const m of got) {
    const ev = await decoder.decode(m.value);
    assert.equal(m.key, ev.api_key_id, 'message key is the api_key_id');
    const p = partitionOf.get(m.key);
    if (p === undefined) partitionOf.set(m.key, m.partition);
    else assert.equal(m.partition, p, `${m.key} stays on one partition`);
    seqByKey.set(m.key, [...(seqByKey.get(m.key) ?? []), ev.input_tokens]);
  }
  for (const k of keys) {
    const want = sent.filter((e) => e.api_key_id === k).map((e) => e.input_tokens);
    assert.deepEqual(seqByKey.get(k), want, `${k} in emit order`);
  }
  assert.ok(new Set(partitionOf.values()).size > 1, 'six keys spread over more than one of four partitions');
});
