import { setPath, type Alert, type AuditRecord } from '../common/types.js';
import type { Identity, TeamPolicy } from './identity.js';
import { keyAgeDays } from './findings/key-rotation-overdue.js';

export function ownerOf(identity: Identity | undefined, team: TeamPolicy | undefined): Alert['owner'] | undefined {
  if (!identity) return undefined;
  return {
    team: identity.team,
    service: identity.service,
    environment: identity.environment,
    principal_type: identity.principal_type,
    slack_channel: identity.slack_channel ?? team?.slack_channel ?? null,
  };
}

/** Owner fields (ECS where ECS has them) and estimated cost on the audit document. */
export function enrich(r: AuditRecord, identity: Identity | undefined, team: TeamPolicy | undefined, costUsd: number | undefined): void {
  const d = r.doc;
  setPath(d, 'llm_audit.cost.usd', costUsd ?? null);
  if (!identity) {
    setPath(d, 'llm_audit.api_key.status', 'unknown');
    setPath(d, 'llm_audit.api_key.attributed', false);
    return;
  }
  setPath(d, 'service.name', identity.service);
  setPath(d, 'service.environment', identity.environment);
  setPath(d, 'organization.name', identity.team);
  setPath(d, 'llm_audit.owner.team', identity.team);
  setPath(d, 'llm_audit.owner.principal_type', identity.principal_type);
  setPath(d, 'llm_audit.cost_center', identity.cost_center ?? team?.cost_center ?? null);
  setPath(d, 'llm_audit.slack_channel', identity.slack_channel ?? team?.slack_channel ?? null);
  setPath(d, 'llm_audit.api_key.created', new Date(identity.created).toISOString());
  setPath(d, 'llm_audit.api_key.age_days', keyAgeDays(identity, r.event.occurred_at));
  setPath(d, 'llm_audit.api_key.status', identity.status);
  setPath(d, 'llm_audit.api_key.attributed', true);
}
