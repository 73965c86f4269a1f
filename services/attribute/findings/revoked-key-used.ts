import { incidentId, NONE, type Finding, type FindingInput, type Observation } from './common.js';

/**
 * A revoked key still in use. Accepted calls (2xx) mean the provider never got the revocation:
 * critical. Rejected calls mean someone still holds the old key: high.
 */
export class RevokedKeyUsed implements Finding {
  readonly name = 'revoked_key_used';
  check({ event, identity }: FindingInput): Observation[] {
    if (identity?.status !== 'revoked') return NONE;
    const accepted = event.status_code >= 200 && event.status_code < 300;
    return [{
      id: incidentId(this.name, event.api_key_id, identity.revoked_at),
      rule: this.name,
      kind: accepted ? 'accepted' : 'rejected',
      severity: accepted ? 'critical' : 'high',
      message: `Revoked API key ${event.api_key_id} (${identity.service}, team ${identity.team}) was used and ${accepted ? 'ACCEPTED' : `rejected (${event.status_code})`}`,
      evidence: {
        revoked_at: identity.revoked_at === null ? null : new Date(identity.revoked_at).toISOString(),
        last_status_code: event.status_code,
        gateway_id: event.gateway_id,
      },
      tally: { accepted_calls: accepted ? 1 : 0, rejected_calls: accepted ? 0 : 1 },
    }];
  }
}
