import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createLogger } from '../common/logger.js';
import { MetricsRegistry } from '../common/metrics.js';
import { MemoryStore } from './deliveries.js';
import { Dispatcher } from './dispatch.js';
import { RULE_FIXTURES } from './fixtures.js';
import { createInteractionServer } from './interactions.js';
import { parseRouting } from './routing.js';
import { alertConfig } from './config.js';
import { slackSignature } from './signature.js';
import type { StatusChange } from './sinks/sink.js';

const SECRET = 'e'.repeat(32);
const NOW = Date.UTC(2026, 10, 27, 12);
const a = RULE_FIXTURES.token_spike!;
let server: Server;
let base: string;
const store = new MemoryStore();
const changes: { id: string; change: StatusChange }[] = [];
const metrics = new MetricsRegistry();

before(async () => {
  const logger = createLogger({ level: 'silent' });
  const dispatcher = new Dispatcher({ routing: parseRouting('', alertConfig.parse({})), sinks: new Map(), store, logger, metrics, counters: metrics.stage('alert'), retryInitialMs: 1, retryMaxMs: 1, summaryIntervalMs: 1000 });
  server = createInteractionServer({
    signingSecret: SECRET, maxAgeSec: 300, store, dispatcher, logger, metrics, now: () => NOW,
    alerts: { setStatus: async (id, change) => (changes.push({ id, change }), { index: 'x', id, created: false }) },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());
beforeEach(async () => {
  changes.length = 0;
  store.docs.clear();
  await store.put({ alert_id: a.id, sink: 'slack', channel: '#team-payments', status: 'posted', ts: '1.000001', last_count: 12, updates: 0, rule: a.rule, severity: a.severity, api_key_id: a.api_key_id, first_seen: a.first_seen, updated_at: NOW, alert_status: 'open', alert: a });
});

const payload = (action: string, user = 'U1') => `payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: user }, actions: [{ action_id: action, value: a.id }] }))}`;
let seq = 0;
// each request its own timestamp (within the window): the endpoint refuses a signature it has seen
const post = (body: string, headers: Record<string, string> = {}) => {
  const ts = String(NOW / 1000 - (seq++ % 250));
  return fetch(`${base}/slack/interactions`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(SECRET, ts, body), ...headers } });
};

describe('interaction endpoint', () => {
  it('acknowledge, then resolve; a repeat or a step back changes nothing', async () => {
    assert.equal((await post(payload('llm_audit_ack'))).status, 200);
    assert.equal((await post(payload('llm_audit_ack', 'U2'))).status, 200);
    assert.equal((await post(payload('llm_audit_resolve', 'U3'))).status, 200);
    assert.equal((await post(payload('llm_audit_ack', 'U4'))).status, 200);
    assert.deepEqual(changes.map((c) => [c.change.status, c.change.by]), [['acknowledged', 'U1'], ['resolved', 'U3']]);
    const r = await store.get(`${a.id}:slack:#team-payments`);
    assert.deepEqual([r?.alert_status, r?.acknowledged_by, r?.resolved_by, r?.acknowledged_at], ['resolved', 'U1', 'U3', NOW]);
  });

  it('a replayed request (same signature, inside the window) is refused and changes nothing', async () => {
    const body = payload('llm_audit_ack', 'U9');
    const ts = String(NOW / 1000 - 1);
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': slackSignature(SECRET, ts, body) };
    const send = () => fetch(`${base}/slack/interactions`, { method: 'POST', body, headers });
    assert.equal((await send()).status, 200);
    const n = changes.length;
    const again = await send();
    assert.equal(again.status, 401);
    assert.match(await again.text(), /replay/);
    assert.equal(changes.length, n);
    assert.equal(alertConfig.parse({}).signatureMaxAgeSec, 300, "Slack's documented five minutes");
  });

  it('link buttons and other interaction types are answered 200 and ignored', async () => {
    assert.equal((await post(payload('llm_audit_kibana'))).status, 200);
    assert.equal((await post(`payload=${encodeURIComponent(JSON.stringify({ type: 'view_submission' }))}`)).status, 200);
    assert.equal(changes.length, 0);
  });

  const refused: [string, () => Promise<Response>, number][] = [
    ['a body over 64 KiB', () => post(`payload=${'x'.repeat(70_000)}`), 413],
    ['a signed JSON body instead of a form', () => post('{"type":"block_actions"}', { 'content-type': 'application/json' }), 400],
    ['a form without payload', () => post('foo=bar'), 400],
    ['an action without an alert id', () => post(`payload=${encodeURIComponent(JSON.stringify({ type: 'block_actions', user: { id: 'U1' }, actions: [{ action_id: 'llm_audit_ack' }] }))}`), 400],
    ['a signature for another body', () => post(payload('llm_audit_ack'), { 'x-slack-signature': slackSignature(SECRET, String(NOW / 1000), payload('llm_audit_resolve')) }), 401],
    ['GET on the callback path', () => fetch(`${base}/slack/interactions`), 405],
    ['an unknown path', () => fetch(`${base}/nope`, { method: 'POST' }), 404],
  ];
  for (const [name, send, status] of refused) {
    it(`refuses ${name} with ${status}`, async () => {
      assert.equal((await send()).status, status);
      assert.equal(changes.length, 0);
    });
  }

  it('the public callback endpoint serves neither /metrics nor /healthz (they are on the loopback ops server)', async () => {
    await post(payload('llm_audit_ack'));
    assert.equal((await fetch(`${base}/metrics`)).status, 404);
    assert.equal((await fetch(`${base}/healthz`)).status, 404);
    assert.match(metrics.render(), /llm_audit_alert_interactions_total\{outcome="acknowledged"\} \d+/);
  });

});
