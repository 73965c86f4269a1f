import { incidentId, NONE, type Finding, type FindingInput, type Observation } from './common.js';

/** A key issued for one environment seen on a gateway of another. A prod key outside prod is the dangerous way round. */
export class EnvironmentMismatch implements Finding {
  readonly name = 'environment_mismatch';
  check({ event, identity }: FindingInput): Observation[] {
    if (!identity || identity.environment === event.environment) return NONE;
    const issued = identity.environment;
    const seen = event.environment;
    const kind = issued === 'prod' ? 'prod_key_outside_prod' : seen === 'prod' ? 'nonprod_key_in_prod' : 'nonprod_cross_environment';
    return [{
      id: incidentId(this.name, event.api_key_id, issued, seen),
      rule: this.name,
      kind,
      severity: kind === 'prod_key_outside_prod' ? 'high' : kind === 'nonprod_key_in_prod' ? 'medium' : 'low',
      message: `API key ${event.api_key_id} issued for ${issued} (${identity.service}) is used in ${seen} via ${event.gateway_id}`,
      evidence: { issued_environment: issued, seen_environment: seen, gateway_id: event.gateway_id },
      tally: { calls: 1 },
    }];
  }
}
