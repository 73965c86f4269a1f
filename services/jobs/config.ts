import { defineConfig, type ConfigOf } from '../common/config.js';

export const jobsConfig = defineConfig('jobs', {
  enabled: { type: 'bool', env: 'LLM_AUDIT_JOBS_ENABLED', default: true, description: 'Run the scheduled key-hygiene and retention jobs in this process (every instance may; the lock picks one).' },
  timezone: { type: 'string', env: 'LLM_AUDIT_JOBS_TIMEZONE', default: 'UTC', description: 'Time zone of the cron expressions.' },
  rotationScanCron: { type: 'string', env: 'LLM_AUDIT_JOB_ROTATION_SCAN_CRON', default: '15 6 * * *', description: 'Cron of rotation-scan (key_rotation_overdue for keys past their rotation policy and still in use).' },
  dormancyScanCron: { type: 'string', env: 'LLM_AUDIT_JOB_DORMANCY_SCAN_CRON', default: '30 6 * * *', description: 'Cron of dormancy-scan (reports active keys unused for LLM_AUDIT_DORMANT_DAYS).' },
  budgetRollupCron: { type: 'string', env: 'LLM_AUDIT_JOB_BUDGET_ROLLUP_CRON', default: '*/5 * * * *', description: 'Cron of budget-rollup (team and key spend summed in Elasticsearch across instances).' },
  retentionCron: { type: 'string', env: 'LLM_AUDIT_JOB_RETENTION_CRON', default: '0 3 * * *', description: 'Cron of index-retention.' },
  eventsRetentionDays: { type: 'int', env: 'LLM_AUDIT_EVENTS_RETENTION_DAYS', default: 400, min: 1, description: 'Daily events indices older than this are deleted (unless under legal hold).' },
  alertsRetentionDays: { type: 'int', env: 'LLM_AUDIT_ALERTS_RETENTION_DAYS', default: 1100, min: 1, description: 'Daily alerts indices older than this are deleted (unless under legal hold); kept longer than events.' },
  inUseDays: { type: 'int', env: 'LLM_AUDIT_ROTATION_IN_USE_DAYS', default: 7, min: 1, description: 'rotation-scan reports an overdue key only if it was used within this many days.' },
  lockLeaseMs: { type: 'int', env: 'LLM_AUDIT_JOB_LOCK_LEASE_MS', default: 600_000, min: 1_000, description: 'Lease of a job lock; renewed while the job runs, stolen only once expired.' },
  locksIndex: { type: 'string', env: 'LLM_AUDIT_LOCKS_INDEX', description: 'Index of job locks. Default: <prefix>-locks.' },
});
export type JobsConfig = ConfigOf<typeof jobsConfig.spec>;
