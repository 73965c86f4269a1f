import { ownerOf } from '../../attribute/enrich.js';
import { rotationObservation } from '../../attribute/findings/key-rotation-overdue.js';
import { KeyStateStore } from '../../attribute/key-state.js';
import { keyStateIndex } from '../../attribute/config.js';
import { alertFrom, raiseNewAlerts, type Job } from '../job.js';

const DAY = 86_400_000;

/** Daily: active keys past their rotation policy and used recently raise key_rotation_overdue (the same incident the per-use check raises). */
export const rotationScan: Job = {
  name: 'rotation-scan',
  description: 'key_rotation_overdue for keys older than their rotation policy that are still in use',
  cron: (c) => c.rotationScanCron,
  async run(ctx) {
    const dir = await ctx.directory();
    const state = new KeyStateStore(ctx.es, keyStateIndex(ctx.attribute, ctx.core.indexPrefix));
    await state.load();
    const alerts = [];
    let overdue = 0;
    for (const ident of dir.all()) {
      const o = rotationObservation(ident, ctx.now, 'scan');
      if (!o) continue;
      overdue++;
      const last = state.get(ident.api_key_id)?.last_seen;
      if (last === undefined || last < ctx.now - ctx.jobs.inUseDays * DAY) continue;
      alerts.push(alertFrom(o, ident.api_key_id, ctx.now, ownerOf(ident, dir.team(ident.team))));
    }
    const raised = await raiseNewAlerts(ctx, alerts);
    return { keys: dir.size, overdue, overdue_in_use: alerts.length, alerts_raised: raised.length, raised_keys: raised.map((a) => a.api_key_id).slice(0, 50) };
  },
};
