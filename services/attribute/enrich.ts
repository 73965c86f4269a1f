import { child, type Alert, type AuditRecord } from '../common/types.js';
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

// identities are long-lived objects of the directory: their creation date is formatted once
const createdIso = new WeakMap<Identity, string>();

/** Owner fields (ECS where ECS has them) and estimated cost on the audit document. */
export function enrich(r: AuditRecord, identity: Identity | undefined, team: TeamPolicy | undefined, costUsd: number | undefined): void {
  const d = r.doc;
  const la = child(d, 'llm_audit');
  child(la, 'cost').usd = costUsd ?? null;
  if (!identity) {
    const key = child(la, 'api_key');
    key.status = 'unknown';
    key.attributed = false;
    return;
  }
  const service = child(d, 'service');
  service.name = identity.service;
  service.environment = identity.environment;
  child(d, 'organization').name = identity.team;
  const owner = child(la, 'owner');
  owner.team = identity.team;
  owner.principal_type = identity.principal_type;
  la.cost_center = identity.cost_center ?? team?.cost_center ?? null;
  la.slack_channel = identity.slack_channel ?? team?.slack_channel ?? null;
  let created = createdIso.get(identity);
  if (created === undefined) createdIso.set(identity, (created = new Date(identity.created).toISOString()));
  const key = child(la, 'api_key');
  key.created = created;
  key.age_days = keyAgeDays(identity, r.event.occurred_at);
  key.status = identity.status;
  key.attributed = true;
}
