import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { createEs } from '../../common/es.js';
import { coreConfig } from '../../common/settings.js';
import { complianceConfig, operatorName } from '../../compliance/config.js';
import { exportAudit, verifyExport, type ExportFormat } from '../../compliance/export.js';
import { progressBar } from '../../compliance/progress.js';
import { signerFrom, verifierFrom } from '../../compliance/sign.js';

const USAGE = 'llm-audit export --from DATE --to DATE [--team T] [--format ndjson|csv] --out DIR\n       llm-audit export verify DIR [--json]';

export const command: CliCommand = {
  name: 'export',
  summary: 'Export audit documents of a date range with a signed manifest; `export verify DIR` checks one',
  usage: USAGE,
  async run(argv, io) {
    const cfg = complianceConfig.fromEnv(io.env);
    if (argv[0] === 'verify') {
      const { values, positionals } = parseOptions(argv.slice(1), { json: { type: 'boolean' } });
      if (positionals.length !== 1) throw new UsageError('export verify takes one directory');
      const report = await verifyExport(positionals[0]!, verifierFrom(cfg.verifyKey, cfg.signingKey));
      if (values.json) io.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else {
        for (const p of report.problems) io.stdout.write(`FAIL ${p}\n`);
        io.stdout.write(report.ok ? `OK ${report.files} files, ${report.documents} documents, signature and SHA-256 verified\n` : `NOT VERIFIED: ${report.problems.length} problem(s)\n`);
      }
      return report.ok ? 0 : 1;
    }
    const { values, positionals } = parseOptions(argv, {
      from: { type: 'string' }, to: { type: 'string' }, team: { type: 'string' }, format: { type: 'string', default: 'ndjson' }, out: { type: 'string' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument ${positionals[0]}`);
    if (!values.from || !values.to || !values.out) throw new UsageError('--from, --to and --out are required');
    if (values.format !== 'ndjson' && values.format !== 'csv') throw new UsageError('--format is ndjson or csv');
    const signer = signerFrom(cfg.signingKey, cfg.keyId);
    const core = coreConfig.fromEnv(io.env);
    const client = createEs(core);
    const bar = progressBar(io.stderr as NodeJS.WritableStream & { isTTY?: boolean }, 'export');
    const abort = new AbortController();
    const onSig = () => abort.abort(new Error('interrupted'));
    process.once('SIGINT', onSig);
    try {
      const m = await exportAudit(client, {
        prefix: core.indexPrefix, from: values.from, to: values.to, team: values.team, format: values.format as ExportFormat, outDir: values.out,
        signer, operator: operatorName(cfg, io.env), pageSize: cfg.pageSize, fileMaxDocs: cfg.fileMaxDocs, keepAlive: cfg.keepAlive,
        onProgress: (d, t) => bar.update(d, t), signal: abort.signal,
      });
      bar.finish(m.counts.documents, Math.max(m.counts.documents, m.counts.matched_at_start));
      io.stdout.write(`exported ${m.counts.documents} documents in ${m.counts.files} file(s) to ${values.out}; manifest signed (${m.signature!.alg}, key '${m.signature!.key_id}')\n`);
      return 0;
    } finally {
      process.off('SIGINT', onSig);
      await client.close();
    }
  },
};
