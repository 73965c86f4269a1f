import { keyStateIndex } from '../../attribute/config.js';
import { KeyStateStore } from '../../attribute/key-state.js';
import type { Job } from '../job.js';

const DAY = 86_400_000;

/**
 * Daily: active keys unused for the dormant period (or never used and issued that long ago). They are
 * candidates for revocation; their next use raises dormant_key_reactivated in the stage.
 */
export const dormancyScan: Job = {
  name: 'dormancy-scan',
  description: 'report active keys unused for LLM_AUDIT_DORMANT_DAYS (revocation candidates)',
  cron: (c) => c.dormancyScanCron,
  async run(ctx) {
    const dir = await ctx.directory();
    const state = new KeyStateStore(ctx.es, keyStateIndex(ctx.attribute, ctx.core.indexPrefix));
    await state.load();
    const cutoff = ctx.now - ctx.attribute.dormantDays * DAY;
    const dormant: string[] = [];
    const neverUsed: string[] = [];
    for (const ident of dir.all()) {
      if (ident.status !== 'active') continue;
      const s = state.get(ident.api_key_id);
      if (s && s.last_seen < cutoff) dormant.push(ident.api_key_id);
      else if (!s && ident.created < cutoff) neverUsed.push(ident.api_key_id);
    }
    const unknownInUse = state.all().filter((s) => !dir.get(s.api_key_id) && s.last_seen >= cutoff).length;
    return { keys: dir.size, dormant: dormant.length, never_used: neverUsed.length, unknown_keys_in_use: unknownInUse, dormant_keys: dormant.slice(0, 50), never_used_keys: neverUsed.slice(0, 50) };
  },
};
