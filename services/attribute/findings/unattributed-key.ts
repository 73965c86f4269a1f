import { clientFamily, incidentId, NONE, type Finding, type FindingInput, type Observation } from './common.js';

/** A key the directory does not know is in use: nobody to page, no policy to check it against. */
export class UnattributedKey implements Finding {
  readonly name = 'unattributed_key';
  check({ event, identity, directoryConfigured }: FindingInput): Observation[] {
    if (identity || !directoryConfigured) return NONE;
    return [{
      id: incidentId(this.name, event.api_key_id),
      rule: this.name,
      kind: 'unknown_key',
      severity: event.environment === 'prod' ? 'high' : 'medium',
      message: `API key ${event.api_key_id} is in use on ${event.gateway_id} (${event.environment}) but is not in the identity directory`,
      evidence: { gateway_id: event.gateway_id, environment: event.environment, client: clientFamily(event.user_agent), last_status_code: event.status_code },
      tally: { calls: 1, accepted_calls: event.status_code < 300 ? 1 : 0 },
    }];
  }
}
