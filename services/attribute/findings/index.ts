import type { AttributeConfig } from '../config.js';
import { BudgetExceeded } from './budget-exceeded.js';
import type { Finding } from './common.js';
import { DormantKeyReactivated } from './dormant-key-reactivated.js';
import { EnvironmentMismatch } from './environment-mismatch.js';
import { KeyRotationOverdue } from './key-rotation-overdue.js';
import { RevokedKeyUsed } from './revoked-key-used.js';
import { SharedKey } from './shared-key.js';
import { UnattributedKey } from './unattributed-key.js';

export const FINDING_NAMES = [
  'unattributed_key', 'revoked_key_used', 'environment_mismatch', 'shared_key', 'key_rotation_overdue', 'dormant_key_reactivated', 'budget_exceeded',
] as const;

export function thresholds(c: Pick<AttributeConfig, 'budgetThresholds'>): number[] {
  return c.budgetThresholds.map(Number).filter((n) => Number.isFinite(n) && n > 0).sort((a, b) => a - b);
}

/** Every key-hygiene finding, built from the attribute config. */
export function createFindings(c: AttributeConfig): Finding[] {
  return [
    new UnattributedKey(),
    new RevokedKeyUsed(),
    new EnvironmentMismatch(),
    new SharedKey({ windowMs: c.sharedKeyWindowMinutes * 60_000, maxClients: c.sharedKeyMaxClients, maxPrincipalTypes: c.sharedKeyMaxPrincipalTypes }),
    new KeyRotationOverdue(),
    new DormantKeyReactivated(c.dormantDays),
    new BudgetExceeded(thresholds(c)),
  ];
}
