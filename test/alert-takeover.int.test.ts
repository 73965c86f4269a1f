import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { alertEncoder, toAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics } from '../services/common/kafka.js';
import { createLogger } from '../services/common/logger.js';
import type { Alert } from '../services/common/types.js';
import { RULE_FIXTURES } from '../services/alert/fixtures.js';
import { findPredecessors, membersOf } from '../services/alert/takeover.js';
import { FakeSlack } from './fake-slack.js';
import { deletePrefix, spawnCli, testCore, testEs, testKafka, uniqueName, waitFor } from './helpers.js';

// Real Kafka: a SIGKILLed alert service restarted under the same instance id gets its partitions
// back at once, not after the session timeout (30 s here, so the old wait is unmistakable).
const TOKEN = ['xoxb', 'takeover', 'test'].join('-');
const SESSION_MS = 30_000;

let slack: FakeSlack;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
const topic = uniqueName('takeover-alerts');
const prefix = uniqueName('takeover');
const core = testCore({ alertsTopic: topic, indexPrefix: prefix });
const encoder = alertEncoder(new LocalSchemaSource());

before(async () => {
  slack = new FakeSlack(TOKEN);
  await slack.start();
  kafka = testKafka(core);
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
});
after(async () => {
  await producer.disconnect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
  const es = testEs(core);
  await deletePrefix(es, prefix);
  await es.close();
  await slack.close();
});

const incident = (i: number): Alert => {
  const a = RULE_FIXTURES.token_spike!;
  return { ...a, id: `${a.id}#takeover${i}`, api_key_id: `key_takeover_${i}`, count: 1 };
};
const send = async (a: Alert) => producer.send({ topic, acks: -1, messages: [{ key: a.api_key_id, value: await encoder.encode(toAvro(a)) }] });
const posted = (id: string) => slack.topLevel().filter((m) => m.metadata?.event_payload.alert_id === id);

describe('alert service restart after a SIGKILL', () => {
  const group = uniqueName('takeover-group');
  const env = (instance: string): NodeJS.ProcessEnv => ({
    ...process.env,
    KAFKA_BROKERS: core.kafkaBrokers.join(','), ELASTICSEARCH_URL: core.elasticsearchUrl, LLM_AUDIT_INDEX_PREFIX: prefix, LLM_AUDIT_ALERTS_TOPIC: topic,
    SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: 'd'.repeat(16) + 'e0f1a2b3c4d5e6f7', SLACK_API_URL: slack.url, SLACK_TIMEOUT_MS: '2000',
    LLM_AUDIT_ALERT_GROUP_ID: group, LLM_AUDIT_ALERT_INSTANCE_ID: instance, LLM_AUDIT_ALERT_SESSION_TIMEOUT_MS: String(SESSION_MS),
    LLM_AUDIT_ALERT_INTERACTION_PORT: '0', LLM_AUDIT_ALERT_INTERACTION_HOST: '127.0.0.1', LLM_AUDIT_ALERT_HTTP_PORT: '0',
    LLM_AUDIT_ALERT_RATE_BURST: '100', LOG_LEVEL: 'info',
  });

  it('the restarted instance removes its dead predecessor from the group and delivers well inside the session timeout, each incident once', async () => {
    const first = spawnCli(['alert', 'run', '--no-digest'], env('alert-0'));
    try {
      await send(incident(1));
      await waitFor(async () => posted(incident(1).id).length > 0 || undefined, { timeoutMs: 60_000, what: `first instance delivers: ${first.output().slice(-2000)}` });
      // the member is still in the group after the kill: nothing told the broker
      first.child.kill('SIGKILL');
      await first.exited;
    } finally {
      first.child.kill('SIGKILL');
    }
    assert.equal((await membersOf(kafka, group, `${core.kafkaClientId}-alert.alert-0`)).length, 1, 'the dead member is still in the group');

    const killedAt = Date.now();
    const second = spawnCli(['alert', 'run', '--no-digest'], env('alert-0'));
    try {
      await send(incident(2));
      await waitFor(async () => posted(incident(2).id).length > 0 || undefined, { timeoutMs: SESSION_MS + 30_000, intervalMs: 100, what: 'second instance delivers' });
      const took = Date.now() - killedAt;
      // startup (a node process on a loaded 2-core machine) plus one rebalance: far from 30 s
      assert.ok(took < SESSION_MS / 2, `delivered ${took} ms after the restart; the session timeout is ${SESSION_MS} ms: ${second.output().slice(-2000)}`);
      assert.match(second.output(), /removed the consumer-group member a crashed predecessor left/);
      assert.equal(posted(incident(1).id).length, 1, 'the replayed first incident is not posted again');
      assert.equal(posted(incident(2).id).length, 1);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('a member under another client id is left alone, and an empty group is a no-op', async () => {
    const other = testKafka(core);
    const g = uniqueName('takeover-other');
    const c = other.consumer({ groupId: g, sessionTimeout: SESSION_MS });
    await c.connect();
    await c.subscribe({ topics: [topic] });
    const joined = new Promise((r) => c.on(c.events.GROUP_JOIN, r));
    await c.run({ eachMessage: async () => {} });
    await joined;
    try {
      const logger = createLogger({ level: 'silent' });
      const none = await findPredecessors(other, g, 'nobody-alert.alert-9', logger);
      assert.deepEqual([none.stale, await none.removeWhileJoining({ waitMs: 200 })], [[], []]);
      const { groups } = await admin.describeGroups([g]);
      assert.equal(groups[0]!.members.length, 1);
      assert.deepEqual((await findPredecessors(other, uniqueName('no-such-group'), 'x', logger)).stale, []);
    } finally {
      await c.disconnect();
    }
  });
});
