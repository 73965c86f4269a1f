import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { logLevel, Partitioners, type Admin, type ProducerRecord } from 'kafkajs';
import { KAFKA_FORMING_GRACE_MS, kafkaLogLevel, murmur2Partition, sendByPartition, TopicPartitions } from './kafka.js';

// entries as kafkajs' Connection and Runner log them (message, plus the broker's error text)
const loading = { message: 'Response InitProducerId(key: 22, version: 1)', error: "The coordinator is loading and hence can't process requests for this group" };
const noCoordinator = { message: 'Response GroupCoordinator(key: 10, version: 2)', error: 'The group coordinator is not available' };
const noLeader = { message: 'Response Metadata(key: 3, version: 6)', error: 'There is no leader for this topic-partition as we are in the middle of a leadership election' };

test('retriable "still forming" answers are debug while the group and topics form', () => {
  for (const e of [loading, noCoordinator, noLeader]) assert.equal(kafkaLogLevel(logLevel.ERROR, e, 2_000), 'debug', e.error);
});

test('the same answers are errors again once the grace period is over', () => {
  for (const e of [loading, noCoordinator, noLeader]) assert.equal(kafkaLogLevel(logLevel.ERROR, e, KAFKA_FORMING_GRACE_MS + 1), 'error', e.error);
});

test('real errors stay errors during start-up', () => {
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Failed to connect to seed broker, trying another broker from the list: Connection timeout' }, 1_000), 'error');
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Response SaslAuthenticate(key: 36, version: 1)', error: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256' }, 1_000), 'error');
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Crash: KafkaJSNumberOfRetriesExceeded: The group coordinator is not available' }, 1_000), 'error',
    'a consumer that crashed after its retries is an error, whatever answer it carries');
  assert.equal(kafkaLogLevel(logLevel.ERROR, { message: 'Response Produce(key: 0, version: 7)', error: 'The request included a message larger than the max message size the server will accept' }, 1_000), 'error');
});

test('warnings stay warnings, info and debug go to debug, the bounded-retries notice is dropped', () => {
  assert.equal(kafkaLogLevel(logLevel.WARN, { message: 'Consumer group rebalancing' }, 1_000), 'warn');
  assert.equal(kafkaLogLevel(logLevel.INFO, { message: 'Consumer has joined the group' }, 1_000), 'debug');
  assert.equal(kafkaLogLevel(logLevel.WARN, { message: 'Limiting retries for the idempotent producer to Number.MAX_SAFE_INTEGER' }, 1_000), undefined);
});

describe('sendByPartition', () => {
  it('makes one produce call per partition, each message on the partition the default partitioner picks', async () => {
    const calls: ProducerRecord[] = [];
    const producer = { send: async (r: ProducerRecord) => { calls.push(r); return []; } };
    const keys = Array.from({ length: 40 }, (_, i) => `key_${i}`);
    await sendByPartition(producer, async () => 6, { topicMessages: [{ topic: 'u', messages: keys.map((k) => ({ key: k, value: k })) }, { topic: 'dlq', messages: [{ key: null, value: 'x' }] }] });
    const u = calls.filter((c) => c.topic === 'u');
    const parts = u.map((c) => new Set(c.messages.map((m) => m.partition)));
    for (const p of parts) assert.equal(p.size, 1, 'a call holds one partition');
    assert.equal(new Set(u.map((c) => c.messages[0]!.partition)).size, u.length, 'no partition split over two calls');
    for (const c of u) for (const m of c.messages) assert.equal(m.partition, murmur2Partition(String(m.key), 6));
    assert.equal(u.reduce((s, c) => s + c.messages.length, 0), 40, 'every message sent');
    assert.ok(u.every((c) => c.acks === -1));
    assert.equal(calls.filter((c) => c.topic === 'dlq').length, 1);
  });

  it('keeps the order of a partition\'s messages and fails after every call has settled', async () => {
    let settled = 0;
    const producer = {
      send: async (r: ProducerRecord) => {
        await new Promise((res) => setTimeout(res, r.messages[0]!.partition === 0 ? 1 : 20));
        settled++;
        if (r.messages[0]!.partition === 0) throw Object.assign(new Error('boom'), { retriable: true });
        return [];
      },
    };
    const msgs = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k, i) => ({ key: k, value: String(i) }));
    await assert.rejects(sendByPartition(producer, async () => 3, { topicMessages: [{ topic: 't', messages: msgs }] }), /boom/);
    const partitionsUsed = new Set(msgs.map((m) => murmur2Partition(m.key, 3))).size;
    assert.equal(settled, partitionsUsed, 'no call still in flight when the error is thrown');
  });

  it('murmur2 picks the partition kafkajs\' default (Java-compatible) partitioner picks', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    for (const n of [1, 3, 6, 12]) {
      const partitionMetadata = Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
      for (let i = 0; i < 300; i++) {
        const key = `key_${i.toString(36)}_${'é'.repeat(i % 3)}`;
        assert.equal(murmur2Partition(key, n), partitioner({ topic: 't', partitionMetadata, message: { key, value: null } }), `${key} / ${n}`);
      }
    }
  });
});

describe('TopicPartitions', () => {
  it('reads the count once per ttl and refuses a topic without partitions', async () => {
    let fetches = 0;
    const admin = { connect: async () => undefined, disconnect: async () => undefined, fetchTopicMetadata: async ({ topics }: { topics?: string[] }) => { fetches++; return { topics: topics!.map((name) => ({ name, partitions: name === 'none' ? [] : [{}, {}, {}] })) } as never; } };
    const tp = new TopicPartitions(admin as unknown as Pick<Admin, 'connect' | 'disconnect' | 'fetchTopicMetadata'>, 60_000);
    assert.equal(await tp.count('t'), 3);
    assert.equal(await tp.count('t'), 3);
    assert.equal(fetches, 1);
    await assert.rejects(tp.count('none'), /no partitions/);
    await tp.close();
  });
});
