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

/** A scope's accumulators for the day and month it was last used in: one Map get per event and scope. */
interface Current {
  day: string;
  daySpend: Spend;
  month: string;
  monthSpend: Spend;
}

/** Whether spend going from `was` to `now` passes a threshold of `limit` (the test budgetObservations makes). */
function crosses(limit: number | null, was: number, now: number, thresholds: number[]): boolean {
  if (!limit) return false;
  for (const pct of thresholds) {
    const line = (limit * pct) / 100;
    if (was < line && now >= line) return true;
  }
  return false;
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
  /** Views into `spend` by scope name; cleared whenever `spend` loses or replaces an entry. */
  private readonly current = { key: new Map<string, Current>(), team: new Map<string, Current>() };

  constructor(private readonly thresholds: number[]) {}

  private slot(k: string): Spend {
    let cur = this.spend.get(k);
    if (!cur) this.spend.set(k, (cur = { usd: 0, tokens: 0 }));
    return cur;
  }

  private currentOf(scope: 'team' | 'key', name: string, day: string, month: string): Current {
    const views = this.current[scope];
    let c = views.get(name);
    if (c === undefined) {
      c = { day, daySpend: this.slot(`${scope}\u0000${name}\u0000${day}`), month, monthSpend: this.slot(`${scope}\u0000${name}\u0000${month}`) };
      views.set(name, c);
      return c;
    }
    if (c.day !== day) {
      c.day = day;
      c.daySpend = this.slot(`${scope}\u0000${name}\u0000${day}`);
    }
    if (c.month !== month) {
      c.month = month;
      c.monthSpend = this.slot(`${scope}\u0000${name}\u0000${month}`);
    }
    return c;
  }

  /** Starting points from Elasticsearch (the roll-up), so a restart does not start from zero. */
  seed(scope: 'team' | 'key', name: string, periodKey: string, s: Spend): void {
    const k = `${scope}\u0000${name}\u0000${periodKey}`;
    const cur = this.spend.get(k);
    if (!cur || cur.usd < s.usd) this.spend.set(k, { usd: Math.max(s.usd, cur?.usd ?? 0), tokens: Math.max(s.tokens, cur?.tokens ?? 0) });
    this.current.key.clear();
    this.current.team.clear();
  }

  spent(scope: 'team' | 'key', name: string, periodKey: string): Spend {
    const s = this.spend.get(`${scope}\u0000${name}\u0000${periodKey}`);
    return s ? { usd: s.usd, tokens: s.tokens } : { usd: 0, tokens: 0 };
  }

  check({ event, identity, team, costUsd }: FindingInput): Observation[] {
    if (!identity || event.status_code < 200 || event.status_code >= 300) return NONE;
    const usd = costUsd ?? 0;
    const tokens = event.input_tokens + event.output_tokens;
    const day = utcDay(event.occurred_at);
    const month = utcMonth(event.occurred_at);
    const key = this.scope('key', identity.api_key_id, identity.budget, day, month, usd, tokens, event.api_key_id);
    const teamObs = this.scope('team', identity.team, team?.budget, day, month, usd, tokens, event.api_key_id);
    return key.length === 0 ? teamObs : teamObs.length === 0 ? key : [...key, ...teamObs];
  }

  private scope(scope: 'team' | 'key', name: string, budget: Budget | null | undefined, day: string, month: string, usd: number, tokens: number, apiKeyId: string): Observation[] {
    const c = this.currentOf(scope, name, day, month);
    const d = c.daySpend;
    const m = c.monthSpend;
    const dUsd = d.usd, dTokens = d.tokens, mUsd = m.usd, mTokens = m.tokens;
    d.usd += usd;
    d.tokens += tokens;
    m.usd += usd;
    m.tokens += tokens;
    if (!budget) return NONE;
    const th = this.thresholds;
    // nothing is built unless a threshold is crossed (almost every call crosses none)
    const dailyCrossed = crosses(budget.daily_usd, dUsd, d.usd, th) || crosses(budget.daily_tokens, dTokens, d.tokens, th);
    const monthlyCrossed = crosses(budget.monthly_usd, mUsd, m.usd, th) || crosses(budget.monthly_tokens, mTokens, m.tokens, th);
    if (!dailyCrossed && !monthlyCrossed) return NONE;
    const periodKey = { daily: day, monthly: month };
    // daily and monthly budgets read different accumulators
    const daily = dailyCrossed ? budgetObservations({ scope, name, budget: { ...budget, monthly_usd: null, monthly_tokens: null }, before: { usd: dUsd, tokens: dTokens }, after: { usd: d.usd, tokens: d.tokens }, periodKey, apiKeyId }, th) : NONE;
    const monthly = monthlyCrossed ? budgetObservations({ scope, name, budget: { ...budget, daily_usd: null, daily_tokens: null }, before: { usd: mUsd, tokens: mTokens }, after: { usd: m.usd, tokens: m.tokens }, periodKey, apiKeyId }, th) : NONE;
    return daily.length === 0 ? monthly : monthly.length === 0 ? daily : [...daily, ...monthly];
  }

  /** Forget periods that ended, keeping today and this month. */
  prune(now: number): void {
    const keep = new Set([utcDay(now), utcMonth(now), utcDay(now - 86_400_000)]);
    for (const k of this.spend.keys()) if (!keep.has(k.slice(k.lastIndexOf('\u0000') + 1))) this.spend.delete(k);
    this.current.key.clear();
    this.current.team.clear();
  }
}
