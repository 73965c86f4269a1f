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
