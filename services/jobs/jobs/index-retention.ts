import type { Client } from '@elastic/elasticsearch';
import { isHeld } from '../../compliance/hold.js';
import { errorMessage, TransientError } from '../../common/errors.js';
import type { Job } from '../job.js';

const DAY = 86_400_000;

/**
 * Decides whether an index must be kept despite its age. The default asks the legal holds in
 * <prefix>-legal-hold (services/compliance/hold.ts: index patterns and team holds); compliance can
 * add checks with `addLegalHoldCheck`. A check that throws keeps the index: when in doubt, keep data.
 */
export type LegalHoldCheck = (es: Client, index: string, prefix: string) => Promise<boolean>;
const checks: LegalHoldCheck[] = [(es, index, prefix) => isHeld(es, index, undefined, { prefix })];
export function addLegalHoldCheck(check: LegalHoldCheck): () => void {
  checks.push(check);
  return () => void checks.splice(checks.indexOf(check), 1);
}

/** Daily indices of `kind` whose date (from the name, UTC) is older than `days` before `now`. */
export function expiredIndices(names: string[], prefix: string, kind: 'events' | 'alerts', days: number, now: number): string[] {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${kind}-(\\d{4})\\.(\\d{2})\\.(\\d{2})$`);
  const cutoff = Date.parse(`${new Date(now - days * DAY).toISOString().slice(0, 10)}T00:00:00Z`);
  return names.filter((n) => {
    const m = re.exec(n);
    if (!m) return false;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return Number.isFinite(t) && t < cutoff;
  }).sort();
}

export const indexRetention: Job = {
  name: 'index-retention',
  description: 'delete daily events indices older than LLM_AUDIT_EVENTS_RETENTION_DAYS and alerts indices older than LLM_AUDIT_ALERTS_RETENTION_DAYS, except under legal hold',
  cron: (c) => c.retentionCron,
  async run(ctx) {
    const prefix = ctx.core.indexPrefix;
    let names: string[];
    try {
      const rows = (await ctx.es.cat.indices({ index: `${prefix}-events-*,${prefix}-alerts-*`, h: 'index', format: 'json', expand_wildcards: 'open' })) as { index?: string }[];
      names = rows.map((r) => r.index!).filter(Boolean);
    } catch (err) {
      throw new TransientError(`listing daily indices failed: ${errorMessage(err)}`, err);
    }
    const candidates = [
      ...expiredIndices(names, prefix, 'events', ctx.jobs.eventsRetentionDays, ctx.now),
      ...expiredIndices(names, prefix, 'alerts', ctx.jobs.alertsRetentionDays, ctx.now),
    ];
    const deleted: string[] = [];
    const held: string[] = [];
    const failed: string[] = [];
    for (const index of candidates) {
      let keep = false;
      for (const check of checks) {
        try {
          if (await check(ctx.es, index, prefix)) keep = true;
        } catch (err) {
          keep = true;
          ctx.logger.warn({ index, err: errorMessage(err) }, 'legal hold check failed; keeping the index');
        }
        if (keep) break;
      }
      if (keep) {
        held.push(index);
        continue;
      }
      if (ctx.dryRun) {
        deleted.push(index);
        continue;
      }
      try {
        await ctx.es.indices.delete({ index });
        deleted.push(index);
      } catch (err) {
        failed.push(index);
        ctx.logger.error({ index, err: errorMessage(err) }, 'retention: delete failed');
      }
    }
    return { indices: names.length, expired: candidates.length, deleted, held, failed };
  },
};
