import { parseOptions, UsageError, type CliCommand } from '../command.js';
import { createEs } from '../../common/es.js';
import { createKafka } from '../../common/kafka.js';
import { createLogger } from '../../common/logger.js';
import { coreConfig } from '../../common/settings.js';
import { JOBS, JobRunner } from '../../jobs/scheduler.js';
import { jobsConfig } from '../../jobs/config.js';

export const command: CliCommand = {
  name: 'jobs',
  summary: 'list the scheduled jobs, or run one now (rotation-scan, dormancy-scan, budget-rollup, index-retention, integrity-seal)',
  usage: 'llm-audit jobs list | llm-audit jobs run NAME [--dry-run]',
  async run(argv, io) {
    const { values, positionals } = parseOptions(argv, { 'dry-run': { type: 'boolean' } });
    const [sub, name] = positionals;
    if (sub === 'list') {
      const c = jobsConfig.fromEnv(io.env);
      for (const j of JOBS) io.stdout.write(`${j.name.padEnd(16)} ${j.cron(c).padEnd(14)} ${j.description}\n`);
      return 0;
    }
    if (sub !== 'run' || !name) throw new UsageError(sub === 'run' ? 'which job? see `llm-audit jobs list`' : `unknown subcommand ${JSON.stringify(sub ?? '')}`);
    const core = coreConfig.fromEnv(io.env);
    const logger = createLogger({ level: core.logLevel });
    const es = createEs(core);
    const kafka = createKafka(core.kafkaBrokers, `${core.kafkaClientId}-jobs`, logger);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      const runner = new JobRunner({ es, core, logger, env: io.env, kafka, producer });
      const r = await runner.run(name, { dryRun: !!values['dry-run'] });
      if (!r.ran) {
        io.stderr.write(`llm-audit jobs: ${name} is running on another instance (lock held); not run\n`);
        return 3;
      }
      io.stdout.write(`${JSON.stringify({ job: r.job, durationMs: r.durationMs, dryRun: !!values['dry-run'], ...r.summary }, null, 2)}\n`);
      return 0;
    } finally {
      await producer.disconnect();
      await es.close();
    }
  },
};
