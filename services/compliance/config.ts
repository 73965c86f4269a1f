import { defineConfig, type ConfigOf } from '../common/config.js';

export const complianceConfig = defineConfig('compliance', {
  signingKey: {
    type: 'string', env: 'LLM_AUDIT_SIGNING_KEY', secret: true,
    description: 'Key that signs export manifests and integrity heads: an Ed25519 private key in PEM, or any other string as an HMAC-SHA256 secret (at least 32 characters). Or LLM_AUDIT_SIGNING_KEY_FILE (a mounted file).',
  },
  verifyKey: {
    type: 'string', env: 'LLM_AUDIT_VERIFY_KEY', secret: true,
    description: 'Key an auditor verifies with: the Ed25519 public key in PEM (or the HMAC secret). Unset: derived from LLM_AUDIT_SIGNING_KEY. Or LLM_AUDIT_VERIFY_KEY_FILE.',
  },
  keyId: { type: 'string', env: 'LLM_AUDIT_SIGNING_KEY_ID', default: 'default', description: 'Name of the signing key, written into manifests so a verifier knows which key to use after rotation.' },
  pageSize: { type: 'int', env: 'LLM_AUDIT_EXPORT_PAGE_SIZE', default: 1000, min: 10, max: 10000, description: 'Documents per search_after page: export, integrity and subject searches hold one page in memory.' },
  fileMaxDocs: { type: 'int', env: 'LLM_AUDIT_EXPORT_FILE_MAX_DOCS', default: 500000, min: 1, description: 'An export starts a new file per UTC day and after this many documents.' },
  keepAlive: { type: 'string', env: 'LLM_AUDIT_PIT_KEEP_ALIVE', default: '5m', pattern: /^\d+[smh]$/, description: 'Point-in-time keep-alive between two pages.' },
  operator: { type: 'string', env: 'LLM_AUDIT_OPERATOR', description: 'Who runs compliance commands (recorded on holds, seals and erasures); defaults to $USER.' },
  sealCron: { type: 'string', env: 'LLM_AUDIT_JOB_INTEGRITY_SEAL_CRON', default: '30 0 * * *', description: 'Cron of integrity-seal (seals the previous UTC day once it has closed; late stragglers after that show as added).' },
  deadLetterRetentionDays: {
    type: 'int', env: 'LLM_AUDIT_DLQ_RETENTION_DAYS', default: 30, min: 1, max: 3650,
    description: 'Erasure bound for dead-letter copies: `subject erase` sets the dead-letter topic\'s retention.ms (and segment.ms) to at most this, so a copy it cannot delete one by one is gone within it.',
  },
  integrityBlockSize: { type: 'int', env: 'LLM_AUDIT_INTEGRITY_BLOCK_SIZE', default: 1000, min: 10, max: 20000, description: 'Per-document hashes stored per integrity block document.' },
});
export type ComplianceConfig = ConfigOf<typeof complianceConfig.spec>;

export function operatorName(c: Pick<ComplianceConfig, 'operator'>, env: NodeJS.ProcessEnv = process.env): string {
  return c.operator ?? env.USER ?? env.LOGNAME ?? 'unknown';
}
