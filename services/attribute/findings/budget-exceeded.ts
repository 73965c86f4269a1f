import type { Budget } from '../identity.js';
import { incidentId, NONE, utcDay, utcMonth, type Finding, type FindingInput, type Observation } from './common.js';

export const RULE = 'budget_exceeded';
const METRICS = [
  { field: 'daily_usd', period: 'daily', unit: 'usd' },
  { field: 'monthly_usd', period: 'monthly', unit: 'usd' },
  { field: 'daily_tokens', period: 'daily', unit: 'tokens' },
  { field: 'monthly_tokens', period: 'monthly', unit: 'tokens' },
] as const;

export interface BudgetCheck {
  scope: 'team' | 'key';
  name: string;
  budget: Budget;
  /** spend so far in each period, keyed by period key (2026-11-26 or 2026-11) */
  before: { usd: number; tokens: number };
  after: { usd: number; tokens: number };
  periodKey: { daily: string; monthly: string };
  apiKeyId: string;
}

/** Crossings of the thresholds between `before` and `after`: the rule shared by the stage and the roll-up job. */
export function budgetObservations(c: BudgetCheck, thresholds: number[]): Observation[] {
  const out: Observation[] = [];
  for (const m of METRICS) {
    const limit = c.budget[m.field];
    if (!limit) continue;
    const was = c.before[m.unit];
    const now = c.after[m.unit];
    for (const pct of thresholds) {
      const line = (limit * pct) / 100;
      if (!(was < line && now >= line)) continue;
      const period = c.periodKey[m.period];
      out.push({
        id: incidentId(RULE, c.scope, c.name, m.field, period, pct),
        rule: RULE,
        kind: `${m.field}_${pct}`,
        severity: pct >= 100 ? 'high' : 'medium',
        message: `${c.scope === 'team' ? 'Team' : 'API key'} ${c.name} has used ${Math.round((now / limit) * 100)}% of its ${m.period} ${m.unit === 'usd' ? 'USD' : 'token'} budget for ${period} (threshold ${pct}%)`,
        evidence: {
          scope: c.scope, subject: c.name, period: m.period, period_key: period, unit: m.unit,
          spent: m.unit === 'usd' ? Math.round(now * 1e4) / 1e4 : now, limit, threshold_pct: pct, percent: Math.round((now / limit) * 1000) / 10,
        },
        once: true,
      });
    }
  }
  return out;
}

interface Spend {
  usd: number;
  tokens: number;
}

/**
 * Spend of each team and key per UTC day and month, from the price table, checked against the
 * budgets in the directory at 80% and 100% (configurable), once per threshold and period. Per
 * instance: a team spread over partitions of several instances is summed exactly by the budget
 * roll-up job, which raises the same incident ids.
 */
export class BudgetExceeded implements Finding {
  readonly name = RULE;
  private readonly spend = new Map<string, Spend>();

  constructor(private readonly thresholds: number[]) {}

  /** Adds to a period's spend in place; returns the spend before, when asked (only budgets need it). */
  private add(k: string, usd: number, tokens: number, wantBefore: boolean): { before: Spend; after: Spend } | undefined {
    let cur = this.spend.get(k);
    if (!cur) this.spend.set(k, (cur = { usd: 0, tokens: 0 }));
    const before = wantBefore ? { usd: cur.usd, tokens: cur.tokens } : undefined;
    cur.usd += usd;
    cur.tokens += tokens;
    return before && { before, after: { usd: cur.usd, tokens: cur.tokens } };
  }

  /** Starting points from Elasticsearch (the roll-up), so a restart does not start from zero. */
  seed(scope: 'team' | 'key', name: string, periodKey: string, s: Spend): void {
    const k = `${scope}\u0000${name}\u0000${periodKey}`;
    const cur = this.spend.get(k);
    if (!cur || cur.usd < s.usd) this.spend.set(k, { usd: Math.max(s.usd, cur?.usd ?? 0), tokens: Math.max(s.tokens, cur?.tokens ?? 0) });
  }

  spent(scope: 'team' | 'key', name: string, periodKey: string): Spend {
    const s = this.spend.get(`${scope}\u0000${name}\u0000${periodKey}`);
    return s ? { usd: s.usd, tokens: s.tokens } : { usd: 0, tokens: 0 };
  }

  check({ event, identity, team, costUsd }: FindingInput): Observation[] {
    if (!identity || event.status_code < 200 || event.status_code >= 300) return NONE;
    const usd = costUsd ?? 0;
    const tokens = event.input_tokens + event.output_tokens;
    const periodKey = { daily: utcDay(event.occurred_at), monthly: utcMonth(event.occurred_at) };
    const key = this.scope('key', identity.api_key_id, identity.budget, periodKey, usd, tokens, event.api_key_id);
    const teamObs = this.scope('team', identity.team, team?.budget, periodKey, usd, tokens, event.api_key_id);
    return key.length === 0 ? teamObs : teamObs.length === 0 ? key : [...key, ...teamObs];
  }

  private scope(scope: 'team' | 'key', name: string, budget: Budget | null | undefined, periodKey: BudgetCheck['periodKey'], usd: number, tokens: number, apiKeyId: string): Observation[] {
    const d = this.add(`${scope}\u0000${name}\u0000${periodKey.daily}`, usd, tokens, !!budget);
    const m = this.add(`${scope}\u0000${name}\u0000${periodKey.monthly}`, usd, tokens, !!budget);
    if (!budget || !d || !m) return NONE;
    // daily and monthly budgets read different accumulators
    const daily = budgetObservations({ scope, name, budget: { ...budget, monthly_usd: null, monthly_tokens: null }, before: d.before, after: d.after, periodKey, apiKeyId }, this.thresholds);
    const monthly = budgetObservations({ scope, name, budget: { ...budget, daily_usd: null, daily_tokens: null }, before: m.before, after: m.after, periodKey, apiKeyId }, this.thresholds);
    return daily.length === 0 && monthly.length === 0 ? NONE : [...daily, ...monthly];
  }

  /** Forget periods that ended, keeping today and this month. */
  prune(now: number): void {
    const keep = new Set([utcDay(now), utcMonth(now), utcDay(now - 86_400_000)]);
    for (const k of this.spend.keys()) if (!keep.has(k.slice(k.lastIndexOf('\u0000') + 1))) this.spend.delete(k);
  }
}
