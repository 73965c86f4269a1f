import { DAY_MS, incidentId, NONE, type Finding, type FindingInput, type Observation } from './common.js';

/**
 * A key unused for `dormantDays` is used again: forgotten keys are the ones that leak unnoticed.
 * Last use comes from the persisted key state (the stage keeps it in Elasticsearch), so restarts
 * and other instances do not forget it. A key's very first use is not a reactivation.
 */
export class DormantKeyReactivated implements Finding {
  readonly name = 'dormant_key_reactivated';
  constructor(private readonly dormantDays: number) {}
  check({ event, previousLastSeen }: FindingInput): Observation[] {
    if (previousLastSeen === undefined) return NONE;
    const idle = event.occurred_at - previousLastSeen;
    if (idle < this.dormantDays * DAY_MS) return NONE;
    const idleDays = Math.floor(idle / DAY_MS);
    return [{
      id: incidentId(this.name, event.api_key_id, previousLastSeen),
      rule: this.name,
      kind: 'reactivated',
      severity: 'medium',
      message: `API key ${event.api_key_id} was used again after ${idleDays} days without use`,
      evidence: { last_seen_before: new Date(previousLastSeen).toISOString(), idle_days: idleDays, dormant_days: this.dormantDays, gateway_id: event.gateway_id },
      tally: { calls: 1 },
    }];
  }
}
