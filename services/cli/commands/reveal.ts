import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { createEs } from '../../common/es.js';
import { ConfigError } from '../../common/errors.js';
import { coreConfig } from '../../common/settings.js';
import { loadTokenizeSettings } from '../../tokenize/config.js';
import { reveal } from '../../tokenize/vault.js';

export const command: CliCommand = {
  name: 'reveal',
  summary: 'Print the original value of a token from the vault (audited; needs the reveal key)',
  usage: 'llm-audit reveal "<TYPE:VERSION:HEX16>" --reason "ticket or legal basis" [--actor NAME (only when Elasticsearch security is off)]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { reason: { type: 'string' }, actor: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('exactly one token is required');
    if (!values.reason?.trim()) throw new UsageError('--reason is required: every reveal is recorded with its reason');
    const settings = loadTokenizeSettings(io.env);
    if (!settings.revealRing) throw new ConfigError('reveal needs a reveal key: LLM_AUDIT_REVEAL_PRIVATE_KEY (envelope vaults) and/or LLM_AUDIT_REVEAL_KEY (symmetric vaults)');
    const core = coreConfig.fromEnv(io.env);
    const es = createEs(core);
    try {
      const r = await reveal({
        es, token: positionals[0]!, reason: values.reason, actor: values.actor ?? io.env.USER,
        vaultIndex: settings.config.vaultIndex, auditIndex: settings.config.revealAuditIndex,
        keyring: settings.keyring, revealRing: settings.revealRing, allow: settings.allow, requireIdentity: settings.config.revealRequireIdentity,
      });
      if (r.outcome === 'revealed') {
        io.stdout.write(`${r.value}\n`);
        return 0;
      }
      if (r.outcome === 'refused') io.stderr.write(`refused (recorded): ${r.message}\n`);
      else io.stderr.write(r.outcome === 'not_found' ? 'no vault entry for this token (never stored, or erased)\n' : `cannot reveal: ${r.message}\n`);
      return 1;
    } finally {
      await es.close();
    }
  },
};
