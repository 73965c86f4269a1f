import { child, type Alert, type AuditRecord, type Doc } from '../common/types.js';
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

const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Owner fields (ECS where ECS has them) and estimated cost on the audit document. */
export function enrich(r: AuditRecord, identity: Identity | undefined, team: TeamPolicy | undefined, costUsd: number | undefined): void {
  const d = r.doc;
  const la = child(d, 'llm_audit');
  // objects the document does not have yet are made whole in one literal (same keys, same order as child() and sets)
  const usd = costUsd ?? null;
  const cost = la.cost;
  if (isObject(cost)) cost.usd = usd;
  else la.cost = { usd };
  if (!identity) {
    const key = child(la, 'api_key');
    key.status = 'unknown';
    key.attributed = false;
    return;
  }
  const service = d.service;
  if (isObject(service)) {
    service.name = identity.service;
    service.environment = identity.environment;
  } else d.service = { name: identity.service, environment: identity.environment };
  const org = d.organization;
  if (isObject(org)) org.name = identity.team;
  else d.organization = { name: identity.team };
  const owner = la.owner;
  if (isObject(owner)) {
    owner.team = identity.team;
    owner.principal_type = identity.principal_type;
  } else la.owner = { team: identity.team, principal_type: identity.principal_type };
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
