import { DAY_MS, incidentId, NONE, type Finding, type FindingInput, type Observation } from './common.js';
import type { Identity } from '../identity.js';

export const RULE = 'key_rotation_overdue';

/** Age in whole days at `at` (event time, so a replay of old traffic is judged as it was then). */
export const keyAgeDays = (identity: Identity, at: number) => Math.floor((at - identity.created) / DAY_MS);

/** The observation both the per-use check and the daily rotation scan raise: one incident per key generation. */
export function rotationObservation(identity: Identity, at: number, via: 'per_use' | 'scan'): Observation | undefined {
  const age = keyAgeDays(identity, at);
  if (identity.status !== 'active' || age <= identity.rotation_max_age_days) return undefined;
  return {
    id: incidentId(RULE, identity.api_key_id, identity.created),
    rule: RULE,
    kind: via,
    severity: age > 2 * identity.rotation_max_age_days ? 'medium' : 'low',
    message: `API key ${identity.api_key_id} (${identity.service}, team ${identity.team}) is ${age} days old, past its ${identity.rotation_max_age_days}-day rotation policy, and still in use`,
    evidence: { age_days: age, max_age_days: identity.rotation_max_age_days, created: new Date(identity.created).toISOString(), overdue_days: age - identity.rotation_max_age_days },
    tally: { calls: via === 'per_use' ? 1 : 0 },
  };
}

/** An active key older than its rotation policy (`rotation_max_age_days`) is used: rotate it. */
export class KeyRotationOverdue implements Finding {
  readonly name = RULE;
  check({ event, identity }: FindingInput): Observation[] {
    const o = identity && rotationObservation(identity, event.occurred_at, 'per_use');
    return o ? [o] : NONE;
  }
}
