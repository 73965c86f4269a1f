import type { Client } from '@elastic/elasticsearch';
import type { Kafka, Producer } from 'kafkajs';
import { createTask, validate, type ScheduledTask } from 'node-cron';
import { attributeConfig, type AttributeConfig } from '../attribute/config.js';
import type { IdentityDirectory } from '../attribute/directory.js';
import { loadDirectoryOnce } from '../attribute/load.js';
import { ConfigError, errorMessage } from '../common/errors.js';
import type { Logger } from '../common/logger.js';
import type { MetricsRegistry } from '../common/metrics.js';
import type { CoreConfig } from '../common/settings.js';
import type { Json } from '../common/types.js';
import { jobsConfig, type JobsConfig } from './config.js';
import type { Job, JobContext } from './job.js';
import { budgetRollup } from './jobs/budget-rollup.js';
import { dormancyScan } from './jobs/dormancy-scan.js';
import { indexRetention } from './jobs/index-retention.js';
import { rotationScan } from './jobs/rotation-scan.js';
import { EsLock } from './lock.js';
import { integritySeal } from '../compliance/seal-job.js';

export const JOBS: Job[] = [rotationScan, dormancyScan, budgetRollup, indexRetention, integritySeal];

export interface JobRunnerDeps {
  es: Client;
  core: CoreConfig;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  jobs?: JobsConfig;
  attribute?: AttributeConfig;
  kafka?: Kafka;
  producer?: Producer;
  metrics?: MetricsRegistry;
  /** Tests inject the directory instead of reading the file and topic. */
  directory?: () => Promise<IdentityDirectory>;
  /** Tests and benchmarks may replace the jobs. */
  jobList?: Job[];
  owner?: string;
  now?: () => number;
}

export type RunResult = { job: string; ran: boolean; owner: string; tick: number; summary?: Record<string, Json>; durationMs?: number };

/** Runs jobs under the Elasticsearch lock, on demand or on schedule. */
export class JobRunner {
  readonly jobs: JobsConfig;
  readonly attribute: AttributeConfig;
  readonly lock: EsLock;
  readonly list: Job[];
  private readonly now: () => number;

  constructor(private readonly d: JobRunnerDeps) {
    this.jobs = d.jobs ?? jobsConfig.fromEnv(d.env ?? process.env);
    this.attribute = d.attribute ?? attributeConfig.fromEnv(d.env ?? process.env);
    this.now = d.now ?? Date.now;
    this.lock = new EsLock(d.es, this.jobs.locksIndex ?? `${d.core.indexPrefix}-locks`, d.owner, this.now);
    this.list = d.jobList ?? JOBS;
    for (const j of this.list) {
      const expr = j.cron(this.jobs);
      if (!validate(expr)) throw new ConfigError(`job ${j.name}: cron expression ${JSON.stringify(expr)} is not valid (5 or 6 fields, e.g. "15 6 * * *")`);
    }
  }

  find(name: string): Job {
    const j = this.list.find((x) => x.name === name);
    if (!j) throw new ConfigError(`unknown job '${name}'; jobs: ${this.list.map((x) => x.name).join(', ')}`);
    return j;
  }

  private context(dryRun: boolean): JobContext {
    let dir: Promise<IdentityDirectory> | undefined;
    return {
      es: this.d.es,
      producer: this.d.producer,
      logger: this.d.logger,
      core: this.d.core,
      jobs: this.jobs,
      attribute: this.attribute,
      directory: () => (dir ??= this.d.directory ? this.d.directory() : loadDirectoryOnce(this.attribute, { kafka: this.d.kafka, clientId: this.d.core.kafkaClientId, schemaRegistryUrl: this.d.core.schemaRegistryUrl, logger: this.d.logger })),
      now: this.now(),
      dryRun,
    };
  }

  /** Runs one job if this instance wins its lock for `tick` (default: now, i.e. on demand). */
  async run(name: string, opts: { tick?: number; dryRun?: boolean } = {}): Promise<RunResult> {
    const job = this.find(name);
    const tick = opts.tick ?? this.now();
    const log = this.d.logger.child({ job: job.name, owner: this.lock.owner });
    const lease = await this.lock.acquire(job.name, this.jobs.lockLeaseMs, tick);
    if (!lease) {
      log.debug({ tick: new Date(tick).toISOString() }, 'job not run here: another instance holds the lock or ran this tick');
      return { job: job.name, ran: false, owner: this.lock.owner, tick };
    }
    const renew = setInterval(() => {
      this.lock.renew(lease, this.jobs.lockLeaseMs).then(
        (ok) => ok || log.error('job lock lost while running (lease expired and taken)'),
        (err: unknown) => log.warn({ err: errorMessage(err) }, 'job lock renewal failed'),
      );
    }, Math.max(1_000, Math.floor(this.jobs.lockLeaseMs / 3)));
    renew.unref();
    const started = Date.now();
    try {
      const summary = await job.run(this.context(!!opts.dryRun));
      const durationMs = Date.now() - started;
      log.info({ summary, durationMs, dryRun: !!opts.dryRun }, 'job done');
      this.d.metrics?.inc('llm_audit_job_runs_total', 'Scheduled job runs by outcome.', { job: job.name, outcome: 'ok' });
      return { job: job.name, ran: true, owner: this.lock.owner, tick, summary, durationMs };
    } catch (err) {
      this.d.metrics?.inc('llm_audit_job_runs_total', 'Scheduled job runs by outcome.', { job: job.name, outcome: 'failed' });
      log.error({ err: errorMessage(err), durationMs: Date.now() - started }, 'job failed');
      throw err;
    } finally {
      clearInterval(renew);
      await this.lock.release(lease).catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'job lock release failed; it expires with its lease'));
    }
  }
}

/**
 * node-cron 4 schedule of the jobs. Every pipeline instance may start one; the tick's scheduled time
 * is the lock's claim, so one instance runs each tick.
 */
export class JobScheduler {
  private readonly tasks: ScheduledTask[] = [];
  constructor(readonly runner: JobRunner, private readonly logger: Logger) {}

  start(): void {
    for (const job of this.runner.list) {
      const task = createTask(
        job.cron(this.runner.jobs),
        async (ctx) => {
          const tick = Math.floor(ctx.date.getTime() / 1000) * 1000;
          try {
            await this.runner.run(job.name, { tick });
          } catch (err) {
            this.logger.error({ job: job.name, err: errorMessage(err) }, 'scheduled job failed');
          }
        },
        { name: job.name, timezone: this.runner.jobs.timezone, noOverlap: true },
      );
      void task.start();
      this.tasks.push(task);
    }
    this.logger.info({ jobs: this.runner.list.map((j) => `${j.name} (${j.cron(this.runner.jobs)})`) }, 'job scheduler started');
  }

  async stop(): Promise<void> {
    for (const t of this.tasks.splice(0)) await t.destroy();
  }
}
