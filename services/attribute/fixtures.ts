import type { UsageEvent } from '../common/types.js';
import type { FindingInput } from './findings/common.js';
import type { Identity } from './identity.js';

export const T0 = Date.parse('2026-11-26T10:00:00Z');

let n = 0;
export function ev(over: Partial<UsageEvent> = {}): UsageEvent {
  n++;
  return {
    event_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    occurred_at: T0,
    gateway_id: 'gw-us-1',
    environment: 'prod',
    provider: 'openai',
    operation: 'chat.completions',
    model: 'gpt-4o-mini',
    model_version: null,
    api_key_id: 'key_a',
    principal_id: 'user-1',
    source_ip: '10.0.0.1',
    user_agent: 'openai-python/1.54.0',
    status_code: 200,
    error_code: null,
    input_tokens: 1000,
    output_tokens: 500,
    latency_ms: 100,
    request_id: null,
    prompt: null,
    completion: null,
    ...over,
  };
}

export function ident(over: Partial<Identity> = {}): Identity {
  return {
    api_key_id: 'key_a',
    team: 'payments',
    service: 'checkout-api',
    environment: 'prod',
    principal_type: 'service',
    cost_center: 'CC-1',
    created: T0 - 10 * 86_400_000,
    rotation_max_age_days: 90,
    status: 'active',
    revoked_at: null,
    allowed_countries: [],
    slack_channel: '#payments-oncall',
    budget: null,
    ...over,
  };
}

export function input(over: Partial<FindingInput> = {}): FindingInput {
  return { event: ev(), identity: ident(), team: undefined, directoryConfigured: true, costUsd: 0.00045, previousLastSeen: undefined, ...over };
}

/** A traffic key as the dev data's labels describe it. */
export interface LabelKey {
  api_key_id: string;
  service: string;
  environment: string;
  users: string[];
}

/**
 * The evaluation scenario over the dev traffic's keys (sorted by id): the first three left out of the
 * directory, the fourth revoked, the fifth issued for another environment, the sixth given a small
 * daily budget. Everything else is a well-kept key: within its environment, 30 days old.
 */
export function scenarioDirectory(keys: LabelKey[], start: number, smallBudgetUsd = 0.01) {
  const sorted = [...keys].sort((a, b) => a.api_key_id.localeCompare(b.api_key_id));
  const omitted = sorted.slice(0, 3).map((k) => k.api_key_id);
  const [revoked, wrongEnv, budgeted] = [sorted[3]!, sorted[4]!, sorted[5]!];
  const teamOf = (service: string) => service.replace(/-\d+$/, '');
  const entries = sorted.slice(3).map((k) => ({
    api_key_id: k.api_key_id,
    team: teamOf(k.service),
    service: k.service,
    environment: k === wrongEnv ? (k.environment === 'prod' ? 'dev' : 'prod') : k.environment,
    principal_type: k.users.length > 1 ? 'service' : 'user',
    cost_center: `CC-${teamOf(k.service).length * 100}`,
    created: new Date(start - 30 * 86_400_000).toISOString(),
    rotation_max_age_days: 90,
    status: k === revoked ? 'revoked' : 'active',
    ...(k === revoked ? { revoked_at: new Date(start - 86_400_000).toISOString() } : {}),
    ...(k === budgeted ? { budget: { daily_usd: smallBudgetUsd } } : {}),
  }));
  const teams: Record<string, unknown> = {};
  for (const e of entries) teams[e.team] = { slack_channel: `#${e.team}-oncall`, budget: { monthly_usd: 100_000 } };
  return {
    doc: { teams, keys: entries },
    omitted,
    revoked: revoked.api_key_id,
    wrongEnv: wrongEnv.api_key_id,
    budgeted: budgeted.api_key_id,
    smallBudgetUsd,
  };
}
