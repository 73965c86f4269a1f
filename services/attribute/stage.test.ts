import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../common/logger.js';
import { MetricsRegistry } from '../common/metrics.js';
import { getPath, type AuditRecord, type UsageEvent } from '../common/types.js';
import { attributeConfig } from './config.js';
import { IdentityDirectory } from './directory.js';
import { ev, ident, T0 } from './fixtures.js';
import { AttributeStage } from './stage.js';

function setup(env: Record<string, string> = {}) {
  const directory = new IdentityDirectory();
  directory.setFile({
    keys: new Map([
      ['key_a', ident({ api_key_id: 'key_a', budget: { daily_usd: 0.01, monthly_usd: null, daily_tokens: null, monthly_tokens: null } })],
      ['key_rev', ident({ api_key_id: 'key_rev', status: 'revoked', slack_channel: null })],
    ]),
    teams: new Map([['payments', { name: 'payments', slack_channel: '#pay-team', cost_center: 'CC-9', budget: null }]]),
  });
  const metrics = new MetricsRegistry();
  const stage = new AttributeStage({
    config: attributeConfig.fromEnv({ LLM_AUDIT_IDENTITY_TOPIC_ENABLED: 'false', ...env }),
    logger: createLogger({ level: 'silent' }),
    metrics,
    indexPrefix: 'unit',
    directory,
  });
  return { stage, metrics };
}

let off = 0;
const rec = (e: UsageEvent): AuditRecord => ({ event: e, doc: {}, alerts: [], partition: 0, offset: String(off++) });
const ctx = (rs: AuditRecord[]) => ({ topic: 'u', partition: 0, firstOffset: rs[0]!.offset, lastOffset: rs[rs.length - 1]!.offset });

test('owner fields and cost land on the document', async () => {
  const { stage } = setup();
  const rs = [rec(ev({ api_key_id: 'key_a', model: 'gpt-4o', input_tokens: 1000, output_tokens: 500 })), rec(ev({ api_key_id: 'key_unknown' }))];
  await stage.process(rs, ctx(rs));
  const d = rs[0]!.doc;
  const want: Record<string, unknown> = {
    'service.name': 'checkout-api', 'service.environment': 'prod', 'organization.name': 'payments', 'llm_audit.owner.team': 'payments',
    'llm_audit.owner.principal_type': 'service', 'llm_audit.cost_center': 'CC-1', 'llm_audit.slack_channel': '#payments-oncall',
    'llm_audit.api_key.created': new Date(T0 - 10 * 86_400_000).toISOString(), 'llm_audit.api_key.age_days': 10,
    'llm_audit.api_key.status': 'active', 'llm_audit.api_key.attributed': true, 'llm_audit.cost.usd': 0.0075,
  };
  for (const [p, v] of Object.entries(want)) assert.equal(getPath(d, p), v, p);
  assert.equal(getPath(rs[1]!.doc, 'llm_audit.api_key.status'), 'unknown');
  assert.equal(getPath(rs[1]!.doc, 'llm_audit.api_key.attributed'), false);
  assert.equal(getPath(rs[1]!.doc, 'service.name'), undefined);
});

test('findings become alerts: once per incident per batch, with owner, count growing across batches', async () => {
  const { stage } = setup();
  const b1 = [0, 1, 2].map((i) => rec(ev({ api_key_id: 'key_rev', occurred_at: T0 + i })));
  await stage.process(b1, ctx(b1));
  const alerts = b1.flatMap((r) => r.alerts);
  assert.equal(alerts.length, 1);
  const a = alerts[0]!;
  assert.equal(a.rule, 'revoked_key_used');
  assert.equal(a.count, 3);
  assert.equal(a.first_seen, T0);
  assert.equal(a.last_seen, T0 + 2);
  assert.equal(a.evidence.accepted_calls, 3);
  assert.deepEqual(a.owner, { team: 'payments', service: 'checkout-api', environment: 'prod', principal_type: 'service', slack_channel: '#pay-team' });
  const b2 = [rec(ev({ api_key_id: 'key_rev', occurred_at: T0 + 10, status_code: 401 }))];
  await stage.process(b2, ctx(b2));
  assert.equal(b2[0]!.alerts[0]?.id, a.id);
  assert.equal(b2[0]!.alerts[0]?.count, 4);
  assert.equal(b2[0]!.alerts[0]?.evidence.rejected_calls, 1);
});

test('a redelivered batch is enriched again but not counted twice', async () => {
  const { stage } = setup();
  // gpt-4o-mini 1000 in + 500 out = $0.00045; the key's daily budget is $0.01 -> 80% after 18 calls
  const batch = Array.from({ length: 17 }, (_, i) => rec(ev({ api_key_id: 'key_a', occurred_at: T0 + i })));
  await stage.process(batch, ctx(batch));
  for (const r of batch) r.doc = {};
  await stage.process(batch, ctx(batch));
  assert.equal(getPath(batch[0]!.doc, 'service.name'), 'checkout-api');
  assert.equal(batch.flatMap((r) => r.alerts).length, 0, 'redelivery did not push spend past 80%');
  const next = [rec(ev({ api_key_id: 'key_a', occurred_at: T0 + 100 }))];
  await stage.process(next, ctx(next));
  assert.deepEqual(next[0]!.alerts.map((a) => a.kind), ['daily_usd_80']);
});

test('counters: received, sent, dropped (dead-lettered upstream)', async () => {
  const { stage } = setup();
  const rs = [rec(ev()), rec(ev())];
  rs[1]!.deadLetter = { reason: 'x', message: 'x', stage: 'tokenize' };
  await stage.process(rs, ctx(rs));
  assert.deepEqual([stage.counters.received, stage.counters.sent, stage.counters.dropped, stage.counters.errored], [2, 1, 1, 0]);
});
