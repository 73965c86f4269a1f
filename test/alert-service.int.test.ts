import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { alertEncoder, alertIndex, alertToDoc, toAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics } from '../services/common/kafka.js';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { Alert } from '../services/common/types.js';
import { loadAlertConfig, type AlertConfig } from '../services/alert/config.js';
import { RULE_FIXTURES } from '../services/alert/fixtures.js';
import { parseRouting } from '../services/alert/routing.js';
import { buildSinks, deliveriesIndex, startAlertService, type AlertService } from '../services/alert/service.js';
import { slackSignature } from '../services/alert/signature.js';
import type { DeliveryRecord } from '../services/alert/sinks/sink.js';
import { FakeSlack } from './fake-slack.js';
import { testCore, testEs, testKafka, uniqueName, waitFor } from './helpers.js';

const TOKEN = 'xoxb-int-test-token';
const SIGNING = 'a'.repeat(16) + 'b0c1d2e3f4a5b6c7';

let slack: FakeSlack;
let kafka: Kafka;
let admin: Admin;
let producer: Producer;
let es: Client;
const encoder = alertEncoder(new LocalSchemaSource());

before(async () => {
  slack = new FakeSlack(TOKEN);
  await slack.start();
  kafka = testKafka();
  admin = kafka.admin();
  await admin.connect();
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  es = testEs();
});
const created: { topic: string; prefix: string }[] = [];
after(async () => {
  for (const c of created) await es.indices.delete({ index: `${c.prefix}-*`, allow_no_indices: true, ignore_unavailable: true }).catch(() => undefined);
  await admin.deleteTopics({ topics: created.map((c) => c.topic) }).catch(() => undefined);
  await producer.disconnect();
  await admin.disconnect();
  await slack.close();
  await es.close();
});

interface Env {
  core: ReturnType<typeof testCore>;
  config: AlertConfig;
  topic: string;
  prefix: string;
}

async function env(overrides: Partial<Record<keyof AlertConfig, unknown>> = {}): Promise<Env> {
  const topic = uniqueName('alerts');
  const prefix = uniqueName('alerttest');
  const core = testCore({ alertsTopic: topic, indexPrefix: prefix });
  created.push({ topic, prefix });
  await ensureTopics(admin, [{ topic, numPartitions: 3, replicationFactor: 1 }]);
  // a new topic's leaders take a moment to be known to every client
  await waitFor(async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.every((p) => p.leader >= 0) || undefined, { timeoutMs: 10_000, what: 'topic leaders' });
  const config = loadAlertConfig({}, {
    slackBotToken: TOKEN, slackSigningSecret: SIGNING, slackApiUrl: slack.url, slackTimeoutMs: 400, groupId: uniqueName('alert-group'),
    retryInitialMs: 50, retryMaxMs: 500, interactionPort: 0, interactionHost: '127.0.0.1', summaryIntervalMs: 60_000, kibanaUrl: 'https://kibana.example',
    ...overrides,
  });
  return { core, config, topic, prefix };
}

async function start(e: Env, routingYaml = ''): Promise<AlertService> {
  const routing = parseRouting(routingYaml, e.config);
  return startAlertService({
    core: e.core, config: e.config, routing, sinks: buildSinks(e.config, routing, {}), kafka, es,
    logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(),
  });
}

async function produce(topic: string, alerts: Alert[]): Promise<void> {
  // keyed by api_key_id, as the pipeline does: an incident's messages share a partition, in order
  await waitFor(async () => (await admin.fetchTopicOffsets(topic)).length === 3 || undefined, { timeoutMs: 10_000, what: 'topic offsets' });
  await producer.send({ topic, messages: await Promise.all(alerts.map(async (a) => ({ key: a.api_key_id, value: await encoder.encode(toAvro(a)) }))) });
}

async function committedAll(groupId: string, topic: string): Promise<boolean> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [c] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return ends.every((p) => p.high === '0' || c!.partitions.find((x) => x.partition === p.partition)?.offset === p.high);
}

const records = async (e: Env): Promise<DeliveryRecord[]> => {
  const index = deliveriesIndex(e.core, e.config);
  await es.indices.refresh({ index });
  const r = await es.search<DeliveryRecord>({ index, size: 1000, query: { match_all: {} } });
  return r.hits.hits.map((h) => h._source!);
};

const incident = (name: string, i: number, count: number): Alert => {
  const a = RULE_FIXTURES[name]!;
  return { ...a, id: `${a.id}#${i}`, count, last_seen: a.first_seen + count * 1000 };
};

function reset(): void {
  slack.messages.length = 0;
  slack.requests.length = 0;
}

describe('alert service on Kafka and Elasticsearch', () => {
  it('Slack answering 429, 500 and timing out: every incident posted once, updates coalesced and in order, offsets committed after', async () => {
    reset();
    const e = await env();
    const svc = await start(e);
    try {
      slack.failNext(2, { kind: 'http', status: 500 }, 'chat.postMessage');
      slack.failNext(1, { kind: 'rate_limited', retryAfterSec: 1 }, 'chat.postMessage');
      slack.failNext(1, { kind: 'hang', applied: true }, 'chat.postMessage');
      slack.failNext(1, { kind: 'hang', applied: false }, 'chat.postMessage');
      const names = ['token_spike', 'invalid_request_burst', 'geo_impossible_travel'];
      const msgs: Alert[] = [];
      for (const count of [12, 20, 31]) for (const [i, n] of names.entries()) msgs.push(incident(n, i, count));
      await produce(e.topic, msgs);
      // while Slack is failing, nothing is committed past what was delivered
      await waitFor(async () => (await committedAll(e.config.groupId, e.topic)) || undefined, { timeoutMs: 30_000, what: 'offsets committed' });
      const top = slack.topLevel('#team-payments');
      assert.equal(top.length, 3, 'one top-level message per incident');
      for (const [i] of names.entries()) {
        const parent = top.find((m) => m.metadata?.event_payload.alert_id === msgs[i]!.id)!;
        assert.ok(parent, `incident ${i} posted`);
        if (process.env.DEBUG_ALERT_TEST) console.log(JSON.stringify(slack.requests.filter((r) => r.method !== 'chat.update').map((r) => [r.method, r.outcome, (r.args.metadata as { event_payload?: unknown })?.event_payload, r.args.thread_ts, r.args.ts])));
        // pending updates coalesce to the latest count: what reaches the thread rises strictly, once each
        const counts = [Number(parent.metadata?.event_payload.count), ...slack.replies(parent.ts).map((m) => Number(m.metadata?.event_payload.count))];
        assert.deepEqual(counts, [...new Set(counts)].sort((a, b) => a - b), `counts rise strictly: ${counts}`);
        assert.equal(counts.at(-1), 31, 'the latest count is delivered');
        assert.ok(counts.every((c) => [12, 20, 31].includes(c)));
      }
      const recs = await records(e);
      assert.equal(recs.length, 3);
      assert.ok(recs.every((r) => r.status === 'posted' && r.last_count === 31));
      assert.ok(slack.requests.some((r) => r.outcome === 'hung') && slack.requests.some((r) => r.outcome === 429) && slack.requests.some((r) => r.outcome === 500));
    } finally {
      await svc.stop();
    }
  });

  it('new incidents first: while a channel is rate limited, a new incident goes before the queued updates of an older one, other channels go on', async () => {
    reset();
    const e = await env({ channelConcurrency: 1, retryInitialMs: 50, retryMaxMs: 200 });
    const svc = await start(e);
    const onChannel = (a: Alert, ch: string): Alert => ({ ...a, owner: { ...a.owner, slack_channel: ch } });
    try {
      const old = onChannel(incident('token_spike', 0, 1), '#team-busy');
      await produce(e.topic, [old]);
      await waitFor(async () => slack.topLevel('#team-busy').length === 1 || undefined, { timeoutMs: 20_000, what: 'the old incident posted' });
      const parent = slack.topLevel('#team-busy')[0]!;
      // Slack throttles the busy channel's next calls for 1 s each; 40 updates of the old incident queue up
      slack.failNext(2, { kind: 'rate_limited', retryAfterSec: 1 }, 'chat.postMessage', '#team-busy');
      const updates = Array.from({ length: 40 }, (_, i) => ({ ...old, count: i + 2, last_seen: old.last_seen + (i + 2) * 1000 }));
      const fresh = { ...onChannel(incident('invalid_request_burst', 1, 3), '#team-busy'), api_key_id: old.api_key_id };
      const other = onChannel(incident('geo_impossible_travel', 2, 5), '#team-quiet');
      // one key, one partition: the new incident is behind every update on the topic
      await produce(e.topic, [...updates, fresh, other]);
      await waitFor(async () => (await committedAll(e.config.groupId, e.topic)) || undefined, { timeoutMs: 30_000, what: 'all delivered and committed' });

      const order = slack.messages.map((m) => `${m.metadata?.event_payload.alert_id}:${m.thread_ts ? 'reply' : 'top'}`);
      const freshAt = order.indexOf(`${fresh.id}:top`);
      const firstReply = order.indexOf(`${old.id}:reply`);
      assert.ok(freshAt > 0 && firstReply > 0, `both delivered: ${order}`);
      assert.ok(freshAt < firstReply, `the new incident is posted before any queued update of the old one: ${order}`);
      assert.ok(order.indexOf(`${other.id}:top`) < freshAt, 'the quiet channel did not wait for the busy one');
      const counts = slack.replies(parent.ts).map((m) => Number(m.metadata?.event_payload.count));
      assert.ok(counts.length >= 1 && counts.length < 10, `40 pending updates coalesced, ${counts.length} thread posts: ${counts}`);
      assert.equal(counts.at(-1), 41, 'the latest count reached the thread');
      assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'in order');
      for (const id of [old.id, fresh.id, other.id]) assert.equal(slack.topLevel().filter((m) => m.metadata?.event_payload.alert_id === id).length, 1, `${id} posted exactly once`);
      assert.ok(slack.requests.some((r) => r.outcome === 429));
    } finally {
      await svc.stop();
    }
  });

  it('a restart (even with offsets lost) never posts an incident again; a crash after posting is recovered from Slack', async () => {
    reset();
    const e = await env();
    const alerts = [incident('budget_exceeded', 0, 12), incident('shared_key', 1, 12)];
    let svc = await start(e);
    try {
      await produce(e.topic, alerts);
      await waitFor(async () => (await committedAll(e.config.groupId, e.topic)) || undefined, { timeoutMs: 20_000, what: 'first run committed' });
    } finally {
      await svc.stop();
    }
    assert.equal(slack.topLevel().length, 2);

    // a crash between chat.postMessage and the record: Slack has the message, the record says pending
    const crashed = incident('dormant_key_reactivated', 2, 12);
    const posted = await (await import('../services/alert/sinks/slack.js')).SlackSink.prototype.deliver.call(
      new (await import('../services/alert/sinks/slack.js')).SlackSink({ token: TOKEN, slackApiUrl: slack.url, timeoutMs: 1000, links: { kibanaUrl: 'k', kibanaDataView: 'v', runbookBaseUrl: 'r' } }),
      crashed, { sink: 'slack', channel: '#team-payments', reason: 'owner' });
    await es.index({ index: deliveriesIndex(e.core, e.config), id: `${crashed.id}:slack:#team-payments`, document: { ...posted, status: 'pending', ts: null, channel_id: null, last_count: 0, attempt_started_at: Date.now() - 5_000, alert: undefined }, refresh: true });
    assert.equal(slack.topLevel().length, 3);

    // new group id: the whole topic is read again, as after lost offsets
    const again = { ...e, config: { ...e.config, groupId: uniqueName('alert-group') } };
    svc = await start(again);
    try {
      await produce(e.topic, [crashed]);
      await waitFor(async () => (await committedAll(again.config.groupId, e.topic)) || undefined, { timeoutMs: 20_000, what: 'second run committed' });
    } finally {
      await svc.stop();
    }
    assert.equal(slack.topLevel().length, 3, 'nothing re-posted');
    assert.equal(slack.calls('chat.postMessage').length, 3);
    const rec = (await records(e)).find((r) => r.alert_id === crashed.id)!;
    assert.equal(rec.status, 'posted');
    assert.equal(rec.ts, posted.ts, 'the pending record adopted the message Slack already had');
  });

  it('an alert storm through Kafka: the channel cap posts the burst and summaries list every held alert once', async () => {
    reset();
    const e = await env({ rateCapBurst: 10, rateCapPerMinute: 1, summaryIntervalMs: 500 });
    const svc = await start(e);
    try {
      const storm = Array.from({ length: 300 }, (_, i) => ({ ...incident('token_spike', i, 1), api_key_id: `key_storm_${i}` }));
      const t0 = Date.now();
      await produce(e.topic, storm);
      await waitFor(async () => (await committedAll(e.config.groupId, e.topic)) || undefined, { timeoutMs: 45_000, what: 'storm consumed' });
      await waitFor(async () => svc.dispatcher.heldCount() === 0 || undefined, { timeoutMs: 10_000, what: 'summaries posted' });
      const took = Date.now() - t0;
      const top = slack.topLevel('#team-payments');
      const summaries = top.filter((m) => m.metadata?.event_payload.kind === 'summary');
      const own = top.filter((m) => m.metadata?.event_payload.kind === 'alert');
      assert.equal(own.length, 10, 'the burst');
      assert.ok(summaries.length >= 1 && summaries.length <= Math.ceil(took / 500) + 1, `${summaries.length} summaries in ${took} ms`);
      const listed = summaries.flatMap((m) => JSON.stringify(m.blocks).match(/`token_spike:key_tokens:key_5ecf33318247:1795770000000#\d+`/g) ?? []);
      assert.equal(listed.length, 290);
      assert.equal(new Set(listed).size, 290, 'each held alert listed exactly once');
      const recs = await records(e);
      assert.equal(recs.filter((r) => r.status === 'posted').length, 10);
      assert.equal(recs.filter((r) => r.status === 'summarised').length, 290);
      console.log(`# storm: 300 alerts consumed and delivered in ${took} ms: ${own.length} messages + ${summaries.length} summary message(s)`);
    } finally {
      await svc.stop();
    }
  });

  it('Acknowledge and Resolve: signed callbacks update the alert document and the message; forged, replayed and malformed ones are refused', async () => {
    reset();
    const e = await env();
    const svc = await start(e);
    const a = incident('token_spike', 0, 12);
    const created = Date.now() - 90_000;
    const alert = { ...a, created };
    try {
      // the indexer's copy of the alert
      await es.index({ index: alertIndex(e.prefix, alert), id: alert.id, document: alertToDoc(alert), refresh: true });
      // the consumer has joined once it delivered a first alert; the second one measures the latency
      await produce(e.topic, [{ ...alert, id: `${alert.id}-warmup` }]);
      await waitFor(async () => slack.topLevel('#team-payments').length === 1 || undefined, { timeoutMs: 20_000, what: 'warm-up delivered' });
      const t0 = Date.now();
      await produce(e.topic, [alert]);
      await waitFor(async () => slack.topLevel('#team-payments').length === 2 || undefined, { timeoutMs: 20_000, intervalMs: 5, what: 'delivered' });
      console.log(`# latency: alert produced to Slack message posted in ${Date.now() - t0} ms`);
      await waitFor(async () => (await committedAll(e.config.groupId, e.topic)) || undefined, { timeoutMs: 20_000, what: 'committed' });
      const url = `http://127.0.0.1:${svc.port}/slack/interactions`;
      // every real click carries its own trigger_id and action_ts, so two clicks in one second are two signatures
      let click = 0;
      const body = (action: string) => {
        click++;
        return `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', trigger_id: `t${click}`, user: { id: 'U0ONCALL', username: 'oncall' }, actions: [{ action_id: action, value: alert.id, action_ts: `${Date.now() / 1000}${click}` }] }))}`;
      };
      const send = (raw: string, ts = Math.floor(Date.now() / 1000), sig = slackSignature(SIGNING, ts, raw)) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': String(ts), 'x-slack-signature': sig }, body: raw });
      const doc = async () => ((await es.get<{ llm_audit: { alert: Record<string, unknown> } }>({ index: alertIndex(e.prefix, alert), id: alert.id }))._source!.llm_audit.alert);

      assert.equal((await send(body('llm_audit_ack'), undefined, slackSignature('f'.repeat(32), Math.floor(Date.now() / 1000), body('llm_audit_ack')))).status, 401, 'forged');
      const old = Math.floor(Date.now() / 1000) - 600;
      assert.equal((await send(body('llm_audit_ack'), old)).status, 401, 'replayed old request');
      assert.equal((await send('payload=%7Bnot-json')).status, 400, 'malformed body');
      assert.equal((await fetch(url, { method: 'POST', body: body('llm_audit_ack'), headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 400, 'unsigned');
      assert.equal((await doc()).status, 'open', 'refused requests changed nothing');

      assert.equal((await send(body('llm_audit_ack'))).status, 200);
      const acked = await doc();
      assert.equal(acked.status, 'acknowledged');
      assert.equal(acked.acknowledged_by, 'U0ONCALL');
      assert.ok(typeof acked.time_to_ack_ms === 'number' && acked.time_to_ack_ms >= 90_000 && acked.time_to_ack_ms < 120_000, `time_to_ack_ms ${acked.time_to_ack_ms}`);
      const msg = slack.topLevel('#team-payments')[1]!;
      const afterAck = JSON.stringify(msg.blocks);
      assert.ok(afterAck.includes('Acknowledged by <@U0ONCALL>') && !afterAck.includes('llm_audit_ack'), 'message updated, Acknowledge button gone');

      assert.equal((await send(body('llm_audit_ack'))).status, 200, 'a second click is harmless');
      assert.equal((await send(body('llm_audit_resolve'))).status, 200);
      const resolved = await doc();
      assert.equal(resolved.status, 'resolved');
      assert.equal(resolved.acknowledged_by, 'U0ONCALL');
      assert.ok(typeof resolved.time_to_resolve_ms === 'number' && resolved.time_to_resolve_ms >= (acked.time_to_ack_ms as number));
      assert.ok(JSON.stringify(msg.blocks).includes('Resolved by <@U0ONCALL>'));
      assert.equal(slack.calls('chat.update').length, 2);

      // queryable: time to acknowledge across alerts
      await es.indices.refresh({ index: `${e.prefix}-alerts-*` });
      const agg = await es.search({ index: `${e.prefix}-alerts-*`, size: 0, aggs: { tta: { avg: { field: 'llm_audit.alert.time_to_ack_ms' } } } });
      assert.equal((agg.aggregations!.tta as { value: number }).value, acked.time_to_ack_ms, 'only the acknowledged alert has a time to acknowledge');
      // and an update of the incident keeps the status on the refreshed message
      await produce(e.topic, [{ ...alert, count: 30 }]);
      await waitFor(async () => (await committedAll(e.config.groupId, e.topic)) || undefined, { timeoutMs: 20_000, what: 'update delivered' });
      await waitFor(async () => slack.replies(msg.ts).length === 1 || undefined, { timeoutMs: 5_000, what: 'thread reply' });
      assert.ok(JSON.stringify(msg.blocks).includes('Resolved by <@U0ONCALL>'));
    } finally {
      await svc.stop();
    }
  });
});
