import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, ident, input, T0 } from '../fixtures.js';
import { BudgetExceeded } from './budget-exceeded.js';

const budget = (b: Partial<{ daily_usd: number; monthly_usd: number; daily_tokens: number; monthly_tokens: number }>) => ({ daily_usd: null, monthly_usd: null, daily_tokens: null, monthly_tokens: null, ...b });

test('budget_exceeded: quiet at 79%, once at 80%, once at 100%, per period', () => {
  const f = new BudgetExceeded([80, 100]);
  const identity = ident({ budget: budget({ daily_usd: 1 }) });
  const call = (usd: number, at = T0) => f.check(input({ identity, costUsd: usd, event: ev({ occurred_at: at }) }));
  assert.deepEqual(call(0.79), [], 'spend at 79%');
  const at80 = call(0.01);
  assert.equal(at80.length, 1);
  assert.equal(at80[0]?.kind, 'daily_usd_80');
  assert.equal(at80[0]?.severity, 'medium');
  assert.equal(at80[0]?.evidence.percent, 80);
  assert.equal(at80[0]?.once, true);
  assert.deepEqual(call(0.1), [], '90%: no new threshold');
  const at100 = call(0.2);
  assert.deepEqual(at100.map((o) => o.kind), ['daily_usd_100']);
  assert.equal(at100[0]?.severity, 'high');
  assert.deepEqual(call(5), [], 'past 100%: said once');
  const nextDay = call(0.8, T0 + 86_400_000);
  assert.deepEqual(nextDay.map((o) => o.kind), ['daily_usd_80'], 'a new day is a new period');
  assert.notEqual(nextDay[0]?.id, at80[0]?.id);
});

test('budget_exceeded: team budgets sum the team\'s keys; token budgets count tokens; failed calls are free', () => {
  const f = new BudgetExceeded([80, 100]);
  const team = { name: 'payments', slack_channel: null, cost_center: null, budget: budget({ monthly_tokens: 10_000 }) };
  const a = ident({ api_key_id: 'key_a' });
  const b = ident({ api_key_id: 'key_b' });
  assert.deepEqual(f.check(input({ identity: a, team, event: ev({ api_key_id: 'key_a', input_tokens: 3000, output_tokens: 1000 }) })), []);
  assert.deepEqual(f.check(input({ identity: b, team, event: ev({ api_key_id: 'key_b', input_tokens: 9000, output_tokens: 0, status_code: 429 }) })), []);
  const [o] = f.check(input({ identity: b, team, event: ev({ api_key_id: 'key_b', input_tokens: 3000, output_tokens: 1000 }) }));
  assert.equal(o?.kind, 'monthly_tokens_80');
  assert.equal(o?.evidence.scope, 'team');
  assert.equal(o?.evidence.subject, 'payments');
  assert.equal(o?.evidence.spent, 8000);
  assert.equal(o?.evidence.period_key, '2026-11');
});

test('budget_exceeded is quiet without a budget and for unknown keys', () => {
  const f = new BudgetExceeded([80, 100]);
  assert.deepEqual(f.check(input({ costUsd: 1e6 })), []);
  assert.deepEqual(f.check(input({ identity: undefined, costUsd: 1e6 })), []);
});
