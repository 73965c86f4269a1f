import { parseOptions, type CliCommand } from '../command.js';
import { createEs } from '../../common/es.js';
import { coreConfig } from '../../common/settings.js';
import { jobsConfig } from '../../jobs/config.js';
import { setupConfig } from '../../setup/config.js';
import { installAssets } from '../../setup/assets.js';
import { importSavedObjects, loadSavedObjects, renderSavedObjects } from '../../setup/kibana.js';

export const command: CliCommand = {
  name: 'setup',
  summary: 'Install Elasticsearch templates, ILM policy and indices (idempotent); --kibana URL imports the dashboards',
  usage: 'llm-audit setup [--kibana URL] [--space NAME] [--shards N] [--replicas N] [--ilm auto|on|off] [--force] [--dry-run] [--json]',
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      kibana: { type: 'string' },
      space: { type: 'string' },
      shards: { type: 'string' },
      replicas: { type: 'string' },
      ilm: { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    }, false);
    const core = coreConfig.fromEnv(io.env);
    const cfg = setupConfig.fromEnv(io.env, {
      kibanaUrl: values.kibana, kibanaSpace: values.space, shards: values.shards, replicas: values.replicas, ilm: values.ilm,
    });
    const jobs = jobsConfig.fromEnv(io.env);
    const retentionDays = { events: jobs.eventsRetentionDays, alerts: jobs.alertsRetentionDays };
    const client = createEs(core);
    try {
      const report = await installAssets(client, {
        prefix: core.indexPrefix, shards: cfg.shards, replicas: cfg.replicas, refreshInterval: cfg.refreshInterval, retentionDays,
        ilm: cfg.ilm as 'auto' | 'on' | 'off', force: values.force, dryRun: values['dry-run'],
      });
      let kibana: unknown;
      if (cfg.kibanaUrl) {
        const ndjson = renderSavedObjects(loadSavedObjects().flatMap((f) => f.objects), core.indexPrefix);
        if (values['dry-run']) kibana = { wouldImport: ndjson.trim().split('\n').length };
        else kibana = await importSavedObjects(ndjson, { url: cfg.kibanaUrl, space: cfg.kibanaSpace, username: cfg.kibanaUsername, password: cfg.kibanaPassword });
      }
      if (values.json) io.stdout.write(JSON.stringify({ ...report, kibana }, null, 2) + '\n');
      else {
        for (const a of report.assets) io.stdout.write(`${a.action.padEnd(9)} ${a.kind.padEnd(14)} ${a.name}${a.version ? ` v${a.version}` : ''}${a.detail ? ` (${a.detail})` : ''}\n`);
        io.stdout.write(`retention: ${report.retention === 'ilm' ? `ILM (events ${retentionDays.events} days, alerts ${retentionDays.alerts} days)` : `no ILM on this cluster; the index-retention job deletes (events ${retentionDays.events} days, alerts ${retentionDays.alerts} days)`}\n`);
        if (kibana) io.stdout.write(`kibana: ${JSON.stringify(kibana)}\n`);
      }
      const k = kibana as { success?: boolean } | undefined;
      return k && k.success === false ? 1 : 0;
    } finally {
      await client.close();
    }
  },
};

