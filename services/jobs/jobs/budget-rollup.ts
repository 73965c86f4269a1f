import { ownerOf } from '../../attribute/enrich.js';
import { budgetObservations } from '../../attribute/findings/budget-exceeded.js';
import { utcDay, utcMonth } from '../../attribute/findings/common.js';
import { thresholds } from '../../attribute/findings/index.js';
import type { Budget } from '../../attribute/identity.js';
import { errorMessage, TransientError } from '../../common/errors.js';
import type { Alert } from '../../common/types.js';
import { alertFrom, raiseNewAlerts, type Job, type JobContext } from '../job.js';

interface Bucket { key: string; usd: { value: number | null }; tokens: { value: number | null } }
type Spend = Map<string, { usd: number; tokens: number }>;

async function spendSince(ctx: JobContext, from: number, field: string): Promise<Spend> {
  try {
    const res = await ctx.es.search({
      index: `${ctx.core.indexPrefix}-events-*`,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 0,
      query: { bool: { filter: [{ range: { '@timestamp': { gte: from, lte: ctx.now, format: 'epoch_millis' } } }, { range: { 'http.response.status_code': { gte: 200, lt: 300 } } }] } },
      aggs: { by: { terms: { field, size: 10_000 }, aggs: { usd: { sum: { field: 'llm_audit.cost.usd' } }, tokens: { sum: { field: 'gen_ai.usage.total_tokens' } } } } },
    });
    const buckets = ((res.aggregations?.by as { buckets?: Bucket[] } | undefined)?.buckets ?? []);
    return new Map(buckets.map((b) => [String(b.key), { usd: b.usd.value ?? 0, tokens: b.tokens.value ?? 0 }]));
  } catch (err) {
    throw new TransientError(`budget roll-up query on ${field} failed: ${errorMessage(err)}`, err);
  }
}

/**
 * Every few minutes: team and key spend for today and this month, summed in Elasticsearch, so a team
 * whose keys are spread over several pipeline instances is measured whole. Raises the thresholds the
 * stage could not see (same incident ids, so a threshold is still raised once).
 */
export const budgetRollup: Job = {
  name: 'budget-rollup',
  description: 'sum team and key spend in Elasticsearch; raise budget_exceeded thresholds missed by single instances',
  cron: (c) => c.budgetRollupCron,
  async run(ctx) {
    const dir = await ctx.directory();
    const day0 = Date.parse(`${utcDay(ctx.now)}T00:00:00Z`);
    const month0 = Date.parse(`${utcMonth(ctx.now)}-01T00:00:00Z`);
    const periodKey = { daily: utcDay(ctx.now), monthly: utcMonth(ctx.now) };
    const th = thresholds(ctx.attribute);
    const zero = { usd: 0, tokens: 0 };
    const alerts: Alert[] = [];
    const scopes: { scope: 'team' | 'key'; field: string; budgetOf: (name: string) => Budget | null | undefined; keyOf: (name: string) => string; ownerOf: (name: string) => Alert['owner'] }[] = [
      { scope: 'team', field: 'llm_audit.owner.team', budgetOf: (n) => dir.team(n)?.budget, keyOf: () => '', ownerOf: (n) => ({ team: n, slack_channel: dir.team(n)?.slack_channel ?? null }) },
      { scope: 'key', field: 'llm_audit.api_key.id', budgetOf: (n) => dir.get(n)?.budget, keyOf: (n) => n, ownerOf: (n) => { const i = dir.get(n); return i ? ownerOf(i, dir.team(i.team)) : undefined; } },
    ];
    const summary: Record<string, number> = {};
    for (const s of scopes) {
      const daily = await spendSince(ctx, day0, s.field);
      const monthly = await spendSince(ctx, month0, s.field);
      summary[`${s.scope}s_with_spend_today`] = daily.size;
      for (const [name, m] of monthly) {
        const budget = s.budgetOf(name);
        if (!budget) continue;
        const d = daily.get(name) ?? zero;
        const obs = [
          ...budgetObservations({ scope: s.scope, name, budget: { ...budget, monthly_usd: null, monthly_tokens: null }, before: zero, after: d, periodKey, apiKeyId: s.keyOf(name) }, th),
          ...budgetObservations({ scope: s.scope, name, budget: { ...budget, daily_usd: null, daily_tokens: null }, before: zero, after: m, periodKey, apiKeyId: s.keyOf(name) }, th),
        ];
        for (const o of obs) alerts.push(alertFrom(o, s.keyOf(name) || `team:${name}`, ctx.now, s.ownerOf(name)));
      }
    }
    const raised = await raiseNewAlerts(ctx, alerts);
    return { ...summary, thresholds_crossed: alerts.length, alerts_raised: raised.length, raised: raised.map((a) => `${a.evidence.scope}:${a.evidence.subject}:${a.kind}`).slice(0, 50) };
  },
};
