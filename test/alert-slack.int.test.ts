import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FakeSlack } from './fake-slack.js';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import type { Alert } from '../services/common/types.js';
import { alertConfig } from '../services/alert/config.js';
import { MemoryStore } from '../services/alert/deliveries.js';
import { Dispatcher, FatalDeliveryError } from '../services/alert/dispatch.js';
import { RULE_FIXTURES } from '../services/alert/fixtures.js';
import { alertMessage, type LinkSettings } from '../services/alert/message.js';
import { parseRouting, type Routing } from '../services/alert/routing.js';
import type { Sink } from '../services/alert/sinks/sink.js';
import { SlackSink } from '../services/alert/sinks/slack.js';
import { WebhookSink } from '../services/alert/sinks/webhook.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const links: LinkSettings = { kibanaUrl: 'https://kibana.example', kibanaDataView: 'llm-audit-events', runbookBaseUrl: 'https://runbooks.example/r' };
const TOKEN = 'xoxb-test-token';

let slack: FakeSlack;
before(async () => {
  slack = new FakeSlack(TOKEN);
  await slack.start();
});
after(() => slack.close());

function setup(routingYaml = '', opts: { burst?: number; timeoutMs?: number; sinks?: [string, Sink][]; logLines?: string[] } = {}) {
  slack.requests.length = 0;
  slack.messages.length = 0;
  const routing: Routing = parseRouting(routingYaml, { ...alertConfig.parse({}), rateCapBurst: opts.burst ?? 100, rateCapPerMinute: 1 });
  const sink = new SlackSink({ token: TOKEN, slackApiUrl: slack.url, timeoutMs: opts.timeoutMs ?? 2_000, links });
  const store = new MemoryStore();
  const metrics = new MetricsRegistry();
  const counters = metrics.stage('alert');
  const d = new Dispatcher({ routing, sinks: new Map<string, Sink>([['slack', sink], ...(opts.sinks ?? [])]), store, logger: opts.logLines ? createLogger({ level: 'debug', destination: { write: (l: string) => void opts.logLines!.push(l) } }) : createLogger({ level: 'silent' }), metrics, counters, retryInitialMs: 20, retryMaxMs: 200, summaryIntervalMs: 60_000 });
  return { d, store, metrics, counters };
}

const bump = (a: Alert, count: number): Alert => ({ ...a, count, last_seen: a.last_seen + count * 1000 });

describe('Slack delivery through the real WebClient', () => {
  beforeEach(() => setup());

  for (const [name, a] of Object.entries(RULE_FIXTURES)) {
    it(`${name}: one chat.postMessage with the exact payload, in the owner's channel`, async () => {
      const { d, store } = setup();
      await d.handle(a);
      const posts = slack.calls('chat.postMessage');
      assert.equal(posts.length, 1);
      const want = alertMessage(a, links);
      assert.deepEqual(posts[0]!.args, {
        channel: a.owner?.slack_channel ?? '#llm-audit-alerts',
        text: want.text,
        blocks: want.blocks,
        unfurl_links: 'false',
        unfurl_media: 'false',
        metadata: { event_type: 'llm_audit_alert', event_payload: { alert_id: a.id, count: a.count, kind: 'alert' } },
      });
      assert.equal(posts[0]!.authorization, `Bearer ${TOKEN}`);
      const rec = await store.get(`${a.id}:slack:${a.owner?.slack_channel ?? '#llm-audit-alerts'}`);
      assert.equal(rec?.status, 'posted');
      assert.equal(rec?.ts, slack.topLevel()[0]!.ts);
    });
  }

  it('a post that got through before a crash, found again with a later (coalesced) count: adopted, then updated in its thread', async () => {
    const { d, store } = setup();
    const a = RULE_FIXTURES.token_spike!;
    const channel = a.owner!.slack_channel!;
    slack.failNext(1, { kind: 'hang', applied: true }, 'chat.postMessage');
    const sink = new SlackSink({ token: TOKEN, slackApiUrl: slack.url, timeoutMs: 300, links });
    await assert.rejects(sink.deliver(a, { sink: 'slack', channel, reason: 'owner' }));
    // what the dispatcher wrote before the attempt: pending
    await store.put({ ...(await import('../services/alert/sinks/sink.js')).newRecord(a, { sink: 'slack', channel, reason: 'owner' }, Date.now() - 1000) });
    await d.handle(bump(a, 31));
    const top = slack.topLevel();
    assert.equal(top.length, 1, 'not posted again');
    assert.deepEqual(slack.replies(top[0]!.ts).map((m) => m.metadata?.event_payload.count), [31], 'the later count reached the thread');
    assert.equal((await store.get(`${a.id}:slack:${channel}`))?.last_count, 31);
  });

  it('updates of an incident go to its thread and refresh the top message; replays are ignored', async () => {
    const { d, counters } = setup();
    const a = RULE_FIXTURES.token_spike!;
    await d.handle(a);
    await d.handle(bump(a, 20));
    await d.handle(bump(a, 20)); // replayed after a restart
    await d.handle(bump(a, 12)); // older message, re-read
    await d.handle(bump(a, 31));
    const top = slack.topLevel();
    assert.equal(top.length, 1);
    assert.deepEqual(slack.replies(top[0]!.ts).map((m) => m.metadata?.event_payload.count), [20, 31]);
    const updates = slack.calls('chat.update');
    assert.equal(updates.length, 2);
    assert.deepEqual(updates[1]!.args.blocks, alertMessage(bump(a, 31), links).blocks);
    assert.deepEqual({ received: counters.received, sent: counters.sent }, { received: 5, sent: 5 });
  });

  it('429 with Retry-After: waits at least that long, then delivers once', async () => {
    const { d, metrics } = setup();
    slack.failNext(1, { kind: 'rate_limited', retryAfterSec: 1 }, 'chat.postMessage');
    const t0 = Date.now();
    await d.handle(RULE_FIXTURES.budget_exceeded!);
    assert.ok(Date.now() - t0 >= 1_000, `waited ${Date.now() - t0} ms`);
    assert.equal(slack.requests.filter((r) => r.method === 'chat.postMessage' && r.outcome === 429).length, 1);
    assert.equal(slack.topLevel().length, 1);
    assert.equal(metrics.counterValue('llm_audit_alert_retries_total', { what: 'slack' }), 1);
  });

  it('500s are retried with backoff; the alert arrives once', async () => {
    const { d } = setup();
    slack.failNext(3, { kind: 'http', status: 500 }, 'chat.postMessage');
    await d.handle(RULE_FIXTURES.shared_key!);
    assert.equal(slack.topLevel().length, 1);
    assert.equal(slack.requests.filter((r) => r.method === 'chat.postMessage').length, 4);
  });

  it('a 500 on the first post to a channel Slack has never shown us: retried there, not treated as a missing channel', async () => {
    const { d } = setup();
    const a: Alert = { ...RULE_FIXTURES.shared_key!, id: 'fresh-1', owner: { team: 'fresh', slack_channel: '#fresh-channel-1' } };
    slack.failNext(1, { kind: 'http', status: 500 }, 'chat.postMessage');
    await d.handle(a);
    assert.equal(slack.topLevel('#fresh-channel-1').length, 1);
    assert.equal(slack.topLevel('#llm-audit-alerts').length, 0);
  });

  it('a timeout after Slack posted: the metadata lookup finds the message, nothing is posted twice', async () => {
    const { d, store } = setup('', { timeoutMs: 200 });
    const a = RULE_FIXTURES.revoked_key_used!;
    slack.failNext(1, { kind: 'hang', applied: true }, 'chat.postMessage');
    await d.handle(a);
    assert.equal(slack.topLevel().length, 1);
    assert.equal(slack.calls('conversations.history').length, 1);
    assert.equal((await store.get(`${a.id}:slack:#team-payments`))?.ts, slack.topLevel()[0]!.ts);
    // and the same for a thread reply
    slack.failNext(1, { kind: 'hang', applied: true }, 'chat.postMessage');
    await d.handle(bump(a, 13));
    assert.equal(slack.replies(slack.topLevel()[0]!.ts).length, 1);
  });

  it('a timeout before Slack posted: the lookup finds nothing and the alert is posted once', async () => {
    const { d } = setup('', { timeoutMs: 200 });
    slack.failNext(2, { kind: 'hang', applied: false }, 'chat.postMessage');
    await d.handle(RULE_FIXTURES.environment_mismatch!);
    assert.equal(slack.topLevel().length, 1);
    assert.equal(slack.requests.filter((r) => r.method === 'chat.postMessage').length, 3);
  });

  it('mixed faults on one incident: every message delivered exactly once, in order', async () => {
    const { d } = setup('', { timeoutMs: 200 });
    const a = RULE_FIXTURES.invalid_request_burst!;
    slack.failNext(1, { kind: 'http', status: 503 }, 'chat.postMessage');
    await d.handle(a);
    for (const [i, f] of ([{ kind: 'rate_limited', retryAfterSec: 1 }, { kind: 'hang', applied: true }, { kind: 'http', status: 500 }, { kind: 'hang', applied: false }] as const).entries()) {
      slack.failNext(1, f, 'chat.postMessage');
      await d.handle(bump(a, 13 + i));
    }
    const top = slack.topLevel();
    assert.equal(top.length, 1);
    assert.deepEqual(slack.replies(top[0]!.ts).map((m) => m.metadata?.event_payload.count), [13, 14, 15, 16]);
  });

  it('logs of failures and retries carry neither the token nor alert text', async () => {
    const lines: string[] = [];
    const { d } = setup('', { logLines: lines, timeoutMs: 200 });
    const a = { ...RULE_FIXTURES.unattributed_key!, id: 'log-1', message: 'secret-looking message text 4111 1111 1111 1111' };
    slack.failNext(1, { kind: 'http', status: 500 }, 'chat.postMessage');
    slack.failNext(1, { kind: 'hang' }, 'chat.postMessage');
    slack.failNext(1, { kind: 'platform', error: 'invalid_blocks' }, 'chat.postMessage');
    await d.handle(a);
    assert.ok(lines.length >= 2, 'the retries and the failure were logged');
    const all = lines.join('');
    assert.ok(!all.includes(TOKEN) && !all.includes('xoxb-'), 'token in logs');
    assert.ok(!all.includes('4111') && !all.includes(a.message), 'alert text in logs');
    assert.match(all, /alert delivery failed for good/);
  });

  it('a bad token stops the service instead of skipping alerts', async () => {
    const { d } = setup();
    slack.failNext(1, { kind: 'platform', error: 'invalid_auth' });
    await assert.rejects(d.handle(RULE_FIXTURES.token_spike!), FatalDeliveryError);
  });

  it('an owner channel that does not exist falls back to the default channel', async () => {
    const { d, store } = setup();
    slack.missingChannels.add('#team-payments');
    try {
      await d.handle(RULE_FIXTURES.token_spike!);
    } finally {
      slack.missingChannels.delete('#team-payments');
    }
    assert.equal(slack.topLevel('#llm-audit-alerts').length, 1);
    assert.equal((await store.get(`${RULE_FIXTURES.token_spike!.id}:slack:#team-payments`))?.status, 'failed');
  });

  it('a channel below its minimum severity gets nothing and the alert counts as dropped', async () => {
    const { d, counters } = setup('channels: { "#team-payments": { minSeverity: critical } }');
    await d.handle(RULE_FIXTURES.token_spike!);
    assert.equal(slack.requests.length, 0);
    assert.equal(counters.dropped, 1);
  });
});

describe('one alert, several sinks', () => {
  it('critical: owner channel, escalation channel and a webhook; a webhook outage does not re-post Slack', async () => {
    const hits: { type: string; delivery: string }[] = [];
    let failures = 2;
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (failures-- > 0) {
          res.writeHead(503).end();
          return;
        }
        hits.push({ type: JSON.parse(body).type, delivery: String(req.headers['x-llm-audit-delivery']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
      const { d, store } = setup(`
escalation: { channel: "#security-oncall", minSeverity: critical }
webhooks: [{ name: pagerduty, url: "${hookUrl}", secretEnv: PD, minSeverity: critical }]
`, { sinks: [['pagerduty', new WebhookSink({ name: 'pagerduty', url: hookUrl, secret: 'x'.repeat(16), timeoutMs: 500, links })]] });
      const a = RULE_FIXTURES.revoked_key_used!;
      await d.handle(a);
      await d.handle(bump(a, 13));
      assert.equal(slack.topLevel('#team-payments').length, 1);
      assert.equal(slack.topLevel('#security-oncall').length, 1);
      assert.deepEqual(hits, [{ type: 'alert', delivery: `${a.id}:12` }, { type: 'alert.update', delivery: `${a.id}:13` }]);
      assert.deepEqual([...store.docs.keys()].sort(), [`${a.id}:pagerduty:pagerduty`, `${a.id}:slack:#security-oncall`, `${a.id}:slack:#team-payments`]);
    } finally {
      hook.close();
    }
  });
});

describe('alert storm', () => {
  it('300 new incidents in one channel: the cap posts the burst, one summary lists the rest', async () => {
    const { d, store } = setup('', { burst: 5 });
    const base = RULE_FIXTURES.token_spike!;
    const storm = Array.from({ length: 300 }, (_, i) => ({ ...base, id: `storm-${i}`, api_key_id: `key_storm_${i}` }));
    for (const a of storm) await d.handle(a);
    assert.equal(slack.topLevel('#team-payments').length, 5);
    assert.equal(d.heldCount(), 295);
    // an update of a held incident refreshes what the summary will say, without posting
    await d.handle(bump(storm[299]!, 40));
    assert.equal(slack.calls('chat.postMessage').length, 5);

    assert.equal(await d.flushSummaries({}, true), 1);
    const top = slack.topLevel('#team-payments');
    assert.equal(top.length, 6);
    const summary = top[5]!;
    assert.match(summary.text, /^Alert storm in #team-payments: 295 alerts held back/);
    const listed = JSON.stringify(summary.blocks);
    for (const a of storm.slice(5)) assert.ok(listed.includes(`\`${a.id}\``), `${a.id} missing from the summary`);
    assert.ok(listed.includes('key_storm_299` payments ×40'));
    const recs = [...store.docs.values()];
    assert.equal(recs.filter((r) => r.status === 'posted').length, 5);
    assert.equal(recs.filter((r) => r.status === 'summarised' && r.ts === summary.ts).length, 295);
    assert.equal(d.heldCount(), 0);

    // later news of a summarised incident goes to the summary's thread
    await d.handle(bump(storm[7]!, 50));
    assert.equal(slack.topLevel('#team-payments').length, 6);
    assert.equal(slack.replies(summary.ts).length, 1);
  });
});
