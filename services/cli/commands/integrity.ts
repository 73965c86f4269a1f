import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { createEs } from '../../common/es.js';
import { coreConfig } from '../../common/settings.js';
import { complianceConfig, operatorName } from '../../compliance/config.js';
import { sealDay, verifyDay } from '../../compliance/integrity.js';
import { signerFrom, verifierFrom } from '../../compliance/sign.js';

const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
const LIST_MAX = 50;

export const command: CliCommand = {
  name: 'integrity',
  summary: 'Seal a closed day of events in a hash chain, or verify it: reports changed, added and deleted documents',
  usage: 'llm-audit integrity seal [--date YYYY-MM-DD (default yesterday)] [--force]\n       llm-audit integrity verify --date YYYY-MM-DD [--json]',
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'seal' && sub !== 'verify') throw new UsageError('integrity seal | integrity verify');
    const { values } = parseOptions(rest, { date: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } }, false);
    const core = coreConfig.fromEnv(io.env);
    const cfg = complianceConfig.fromEnv(io.env);
    const client = createEs(core);
    try {
      if (sub === 'seal') {
        const date = values.date ?? yesterday();
        if (date >= new Date().toISOString().slice(0, 10) && !values.force) throw new UsageError(`${date} has not closed yet (UTC); seal a past day`);
        const head = await sealDay(client, {
          prefix: core.indexPrefix, date, operator: operatorName(cfg, io.env), blockSize: cfg.integrityBlockSize, pageSize: cfg.pageSize,
          signer: cfg.signingKey ? signerFrom(cfg.signingKey, cfg.keyId) : undefined, force: values.force,
        });
        io.stdout.write(values.json ? JSON.stringify(head, null, 2) + '\n' : `sealed ${head.index}: ${head.count} documents, head ${head.head}${head.signature ? ` (signed ${head.signature_alg})` : ' (unsigned: no LLM_AUDIT_SIGNING_KEY)'}\n`);
        return 0;
      }
      if (!values.date) throw new UsageError('--date is required');
      const verifier = cfg.verifyKey || cfg.signingKey ? verifierFrom(cfg.verifyKey, cfg.signingKey) : undefined;
      const r = await verifyDay(client, { prefix: core.indexPrefix, date: values.date, verifier, pageSize: cfg.pageSize });
      if (values.json) io.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else {
        io.stdout.write(`${r.index}: sealed ${r.sealed.count} documents at ${r.sealed.at} by ${r.sealed.by}; now ${r.current}; chain ${r.headMatches ? 'matches' : 'DIFFERS'}; signature ${r.signature}\n`);
        for (const [what, ids] of [['changed', r.changed], ['added', r.added], ['deleted', r.deleted]] as const) {
          if (!ids.length) continue;
          io.stdout.write(`${what}: ${ids.length}\n`);
          for (const id of ids.slice(0, LIST_MAX)) io.stdout.write(`  ${id}\n`);
          if (ids.length > LIST_MAX) io.stdout.write(`  ... ${ids.length - LIST_MAX} more (--json lists all)\n`);
        }
        io.stdout.write(r.ok ? 'OK\n' : 'TAMPERED\n');
      }
      return r.ok ? 0 : 1;
    } finally {
      await client.close();
    }
  },
};
