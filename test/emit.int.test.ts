import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { Kafka } from 'kafkajs';
import { command as emit } from '../services/cli/commands/emit.js';
import { command as simulate } from '../services/cli/commands/simulate.js';
import type { CliIO } from '../services/cli/command.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ConfigError } from '../services/common/errors.js';
import { ensureTopics } from '../services/common/kafka.js';
import type { UsageEvent } from '../services/common/types.js';
import { usageDecoder } from '../services/common/usage.js';
import type { LabelsFile } from '../services/simulate/traffic.js';
import { testCore, testKafka, uniqueName, waitFor } from './helpers.js';

function captureIO(): CliIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (c) => (o += c));
  stderr.on('data', (c) => (e += c));
  return { stdin: new PassThrough(), stdout, stderr, env: { ...process.env, LOG_LEVEL: 'silent' }, out: () => o, err: () => e };
}

async function readTopic(kafka: Kafka, topic: string, n: number): Promise<UsageEvent[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('emit-int') });
  const decoder = usageDecoder(new LocalSchemaSource());
  const got: UsageEvent[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(await decoder.decode(message.value)) });
    await waitFor(async () => got.length >= n, { timeoutMs: 30_000, what: `${n} events on ${topic}` });
    // a short grace period: more than n would be a duplicate
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await consumer.disconnect();
  }
  return got;
}

function event(i: number): UsageEvent {
  return {
    event_id: randomUUID(), occurred_at: Date.UTC(2026, 0, 5, 10, 0, i), gateway_id: 'gw-emit', environment: 'prod', provider: 'azure_openai', operation: 'embeddings',
    model: 'text-embedding-3-small', model_version: 'text-embedding-3-small', api_key_id: `key_emit${i % 2}`, principal_id: 'svc-etl', source_ip: '81.2.69.160',
    user_agent: 'curl/8.5.0', status_code: 200, error_code: null, input_tokens: 100 + i, output_tokens: 0, latency_ms: 80, request_id: null, prompt: null, completion: null,
  };
}

test('emit sends the valid lines of a gzip JSONL file as Avro and reports each invalid line by number', { timeout: 90_000 }, async () => {
  const core = testCore();
  const kafka = testKafka(core);
  const topic = uniqueName('emit-usage');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, numPartitions: 2, replicationFactor: 1 }]);
  await admin.disconnect();

  const good = [0, 1, 2, 3, 4].map(event);
  const lines = [
    JSON.stringify(good[0]),
    JSON.stringify(good[1]),
    '{"event_id": "oops"',
    JSON.stringify(good[2]),
    JSON.stringify({ ...event(9), status_code: 0 }),
    '',
    JSON.stringify(good[3]),
    JSON.stringify({ ...event(10), secret: 'sk-proj-abc' }),
    JSON.stringify(good[4]),
  ];
  const dir = await mkdtemp(join(tmpdir(), 'emit-int-'));
  try {
    const file = join(dir, 'events.jsonl.gz');
    await writeFile(file, gzipSync(lines.join('\n') + '\n'));
    const io = captureIO();
    const code = await emit.run(['--file', file, '--topic', topic, '--rate', '200'], io);
    assert.equal(code, 1, 'exit code says lines were skipped');
    assert.match(io.out(), /emit: 5 sent to emit-usage-\S+, 3 invalid, 0 undelivered \(9 lines\)/);
    const err = io.err();
    assert.match(err, /^line 3: not JSON/m);
    assert.match(err, /^line 5: field status_code must be an HTTP status/m);
    assert.match(err, /^line 8: field secret is not part of the usage-event contract/m);
    assert.ok(!err.includes('sk-proj-abc'), 'the offending value is not echoed');
    const got = await readTopic(testKafka(core), topic, 5);
    assert.deepEqual(got.map((e) => e.event_id).sort(), good.map((e) => e.event_id).sort());
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('emit refuses a missing topic unless --create-topic', { timeout: 60_000 }, async () => {
  const topic = uniqueName('emit-missing');
  const dir = await mkdtemp(join(tmpdir(), 'emit-int-'));
  try {
    const file = join(dir, 'one.jsonl');
    await writeFile(file, JSON.stringify(event(1)) + '\n');
    await assert.rejects(emit.run(['--file', file, '--topic', topic], captureIO()), (e: unknown) => e instanceof ConfigError && /does not exist/.test((e as Error).message));
    const io = captureIO();
    assert.equal(await emit.run(['--file', file, '--topic', topic, '--create-topic'], io), 0);
    assert.match(io.out(), /1 sent/);
    // cleanup of a topic this test created
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('simulate --kafka sends every generated event and writes the labels file', { timeout: 90_000 }, async () => {
  const core = testCore();
  const topic = uniqueName('sim-usage');
  const dir = await mkdtemp(join(tmpdir(), 'sim-int-'));
  try {
    const labels = join(dir, 'labels.json');
    const io = captureIO();
    const code = await simulate.run(['--kafka', '--topic', topic, '--create-topic', '--minutes', '3', '--keys', '6', '--seed', '5', '--start', '2026-03-03T14:00:00Z', '--labels', labels], io);
    assert.equal(code, 0, io.err());
    const m = /simulate: (\d+) of (\d+) events sent/.exec(io.out());
    assert.ok(m && m[1] === m[2], io.out());
    const n = Number(m[1]);
    assert.ok(n > 20);
    const file = JSON.parse(await readFile(labels, 'utf8')) as LabelsFile;
    assert.equal(file.events, n);
    assert.equal(file.keys.length, 6);
    const got = await readTopic(testKafka(core), topic, n);
    assert.equal(got.length, n);
    assert.ok(got.every((e) => file.keys.some((k) => k.api_key_id === e.api_key_id)));
    const admin = testKafka().admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
