import type { Json } from '../common/types.js';
import type { Job } from '../jobs/job.js';
import { InvalidInputError } from '../common/errors.js';
import { complianceConfig } from './config.js';
import { readHead, sealDay } from './integrity.js';
import { signerFrom } from './sign.js';

/**
 * The scheduled side of tamper evidence: seals the previous UTC day. A day already sealed is left
 * alone (resealing would hide changes), a day without traffic has nothing to seal.
 */
export const integritySeal: Job = {
  name: 'integrity-seal',
  description: "seal the previous UTC day's events index in a hash chain (llm-audit integrity verify --date D checks it)",
  cron: () => complianceConfig.fromEnv(process.env).sealCron,
  async run(ctx): Promise<Record<string, Json>> {
    const cfg = complianceConfig.fromEnv(process.env);
    const prefix = ctx.core.indexPrefix;
    const date = new Date(ctx.now - 86_400_000).toISOString().slice(0, 10);
    const existing = await readHead(ctx.es, prefix, date);
    if (existing) return { date, sealed: false, reason: 'already sealed', count: existing.count };
    if (ctx.dryRun) return { date, sealed: false, reason: 'dry run' };
    try {
      const head = await sealDay(ctx.es, {
        prefix, date, operator: 'job:integrity-seal', blockSize: cfg.integrityBlockSize, pageSize: cfg.pageSize,
        signer: cfg.signingKey ? signerFrom(cfg.signingKey, cfg.keyId) : undefined,
      });
      return { date, sealed: true, count: head.count, head: head.head, signed: !!head.signature };
    } catch (err) {
      if (err instanceof InvalidInputError && err.reason === 'no_index') return { date, sealed: false, reason: 'no events index for the day' };
      throw err;
    }
  },
};
