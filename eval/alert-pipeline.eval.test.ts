import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alertDecoder, fromAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { createLogger } from '../services/common/logger.js';
import type { Alert } from '../services/common/types.js';
import { scenarioDirectory } from '../services/attribute/fixtures.js';
import { loadAlertConfig } from '../services/alert/config.js';
import { parseRouting } from '../services/alert/routing.js';
import { buildSinks, startAlertService, type AlertService } from '../services/alert/service.js';
import { FakeSlack } from '../test/fake-slack.js';
import { uniqueName, waitFor } from '../test/helpers.js';
import { TestStack } from '../test/pipeline-harness.js';
import { readLabels, readTraffic } from './shared-data.js';

/**
 * The shared traffic through Kafka, the pipeline (attribute, detect) and the alert service:
 * one top-level Slack message per incident, in the owning team's channel, updates in its thread.
 */
describe('shared traffic -> pipeline -> alerts topic -> Slack (fake server, real @slack/web-api)', () => {
  const stack = new TestStack('evalalert', { topicPartitions: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'llm-audit-eval-alert-'));
  const labels = readLabels();
  const scenario = scenarioDirectory(labels.keys, labels.start);
  const slack = new FakeSlack('xoxb-eval-alert');
  let svc: AlertService;
  let alerts: Alert[] = [];
  let took = 0;

  before(async () => {
    await slack.start();
    const file = join(dir, 'identities.json');
    writeFileSync(file, JSON.stringify(scenario.doc));
    // tokenize is irrelevant to delivery (alerts carry no prompt text); attribute gives owners, detect the alerts
    await stack.startPipeline({ config: { stages: ['tokenize', 'attribute', 'detect'] }, env: { LLM_AUDIT_IDENTITY_FILE: file, LLM_AUDIT_IDENTITY_TOPIC_ENABLED: 'false' } });
    const config = loadAlertConfig({}, {
      slackBotToken: slack.token, slackSigningSecret: 'c'.repeat(32), slackApiUrl: slack.url, groupId: uniqueName('eval-alert'),
      interactionPort: 0, interactionHost: '127.0.0.1', rateCapBurst: 1000, retryInitialMs: 50, retryMaxMs: 1000,
    });
    const routing = parseRouting('', config);
    const events = await readTraffic();
    const t0 = Date.now();
    await stack.produceEvents(events);
    // the alerts topic exists once the events are produced (the harness's admin step)
    svc = await startAlertService({ core: stack.core, config, routing, sinks: buildSinks(config, routing, {}), kafka: stack.kafka, es: stack.es, logger: createLogger({ level: 'silent' }), metrics: stack.metrics });
    await waitFor(async () => (await stack.countDocs('events')) >= events.length, { what: `${events.length} documents`, timeoutMs: 900_000, intervalMs: 2000 });
    const admin = stack.kafka.admin();
    await admin.connect();
    try {
      // drained: the alert service committed the end of every alerts partition, twice 3 s apart
      let stable = 0;
      await waitFor(async () => {
        const ends = await admin.fetchTopicOffsets(stack.core.alertsTopic);
        const [c] = await admin.fetchOffsets({ groupId: config.groupId, topics: [stack.core.alertsTopic] });
        const done = ends.every((p) => p.high === '0' || c!.partitions.find((x) => x.partition === p.partition)?.offset === p.high);
        stable = done ? stable + 1 : 0;
        return stable >= 2 || undefined;
      }, { what: 'alerts delivered', timeoutMs: 300_000, intervalMs: 3000 });
      took = Date.now() - t0;
      const total = (await admin.fetchTopicOffsets(stack.core.alertsTopic)).reduce((n, p) => n + Number(p.high), 0);
      const dec = alertDecoder(new LocalSchemaSource());
      for (const m of await stack.readTopic(stack.core.alertsTopic, total, 60_000)) alerts.push(fromAvro(await dec.decode(m.value)));
      assert.equal(alerts.length, total);
    } finally {
      await admin.disconnect();
    }
  });

  after(async () => {
    await svc?.stop();
    await slack.close();
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one top-level message per incident, in the owning team\'s channel (default channel when unowned)', () => {
    const incidents = new Map<string, Alert>();
    for (const a of alerts) incidents.set(a.id, a);
    assert.ok(incidents.size > 0, 'the detectors raised alerts');
    const top = slack.topLevel();
    const byId = new Map<string, string[]>();
    for (const m of top) {
      const id = String(m.metadata?.event_payload.alert_id);
      byId.set(id, [...(byId.get(id) ?? []), slack.channelName(m.channel)!]);
    }
    for (const [id, a] of incidents) {
      const want = a.owner?.slack_channel ? (a.owner.slack_channel.startsWith('#') ? a.owner.slack_channel : `#${a.owner.slack_channel}`) : '#llm-audit-alerts';
      assert.deepEqual(byId.get(id), [want], `incident ${id} (${a.rule}, ${a.api_key_id})`);
    }
    assert.equal(top.length, incidents.size, 'no message for anything that is not an incident');
    const perChannel = new Map<string, number>();
    for (const m of top) perChannel.set(slack.channelName(m.channel)!, (perChannel.get(slack.channelName(m.channel)!) ?? 0) + 1);
    console.log(`# ${alerts.length} alert messages on the topic, ${incidents.size} incidents -> ${top.length} Slack messages + ${slack.messages.length - top.length} thread replies in ${perChannel.size} channels; ${(took / 1000).toFixed(1)} s from first event produced to last alert delivered`);
    console.log(`# per channel: ${[...perChannel].sort().map(([c, n]) => `${c} ${n}`).join(', ')}`);
  });

  it('updates of an incident are thread replies, in order, never duplicated', () => {
    const parents = new Map(slack.topLevel().map((m) => [m.ts, m]));
    const replies = slack.messages.filter((m) => m.thread_ts);
    const byThread = new Map<string, number[]>();
    for (const r of replies) {
      assert.ok(parents.has(r.thread_ts!), 'reply to a known incident message');
      assert.equal(r.metadata?.event_payload.alert_id, parents.get(r.thread_ts!)!.metadata?.event_payload.alert_id);
      byThread.set(r.thread_ts!, [...(byThread.get(r.thread_ts!) ?? []), Number(r.metadata?.event_payload.count)]);
    }
    for (const counts of byThread.values()) for (let i = 1; i < counts.length; i++) assert.ok(counts[i]! > counts[i - 1]!, `thread counts increase: ${counts}`);
  });

  it('every labelled anomaly reached the owning team\'s channel', () => {
    const channelOf = new Map(scenario.doc.keys.map((k) => [k.api_key_id, `#${k.team}-oncall`]));
    const missed: string[] = [];
    for (const l of labels.labels) {
      const want = channelOf.get(l.api_key_id) ?? '#llm-audit-alerts';
      const hit = slack.topLevel(want).some((m) => alerts.some((a) => a.id === m.metadata?.event_payload.alert_id && a.rule === l.rule && a.api_key_id === l.api_key_id));
      if (!hit) missed.push(`${l.rule}/${l.kind ?? ''} ${l.api_key_id} -> ${want}`);
    }
    console.log(`# labelled anomalies with a Slack message in the owner's channel: ${labels.labels.length - missed.length}/${labels.labels.length}${missed.length ? ` (missed: ${missed.join('; ')})` : ''}`);
    // docs/operators/alerting.md states all of them reach the owner's channel; a miss is the detector's or routing's
    assert.deepEqual(missed, [], `missed: ${missed.join('; ')}`);
  });
});
