import type { Alert } from '../common/types.js';

/**
 * One alert per rule, shaped like the detectors' output: tests assert the exact Slack payload of each,
 * and the docs show them. Times are fixed so payloads are stable.
 */
const T0 = Date.UTC(2026, 10, 27, 9, 0, 0);
const owner = { team: 'payments', service: 'checkout-api', environment: 'prod', principal_type: 'service', slack_channel: '#team-payments' };

const base = (rule: string, kind: string, severity: Alert['severity'], key: string, message: string, evidence: Alert['evidence'], extra: Partial<Alert> = {}): Alert => ({
  id: `${rule}:${kind}:${key}:${T0}`,
  rule, kind, severity, api_key_id: key,
  timestamp: T0 + 60_000, created: T0 + 65_000, first_seen: T0, last_seen: T0 + 60_000, count: 12,
  principal_id: 'svc-checkout', source_ip: null, country: null,
  message, evidence, owner, ...extra,
});

export const RULE_FIXTURES: Record<string, Alert> = {
  token_spike: base('token_spike', 'key_tokens', 'high', 'key_5ecf33318247', 'API key key_5ecf33318247 used 188000 tokens in ~5 min, 9.4x its baseline of 20000',
    { subject: 'api_key', observed_tokens: 188_000, baseline_tokens: 20_000, threshold_tokens: 80_000, ratio: 9.4, factor: 4, min_tokens: 20_000, window_s: 300, baseline_window_s: 86_400, model: 'gpt-4o-mini' }),
  invalid_request_burst: base('invalid_request_burst', 'auth_failures', 'high', 'key_c6e955fdc401', 'Burst of 401/403 on API key key_c6e955fdc401: ~41 in 60 s (93% of its requests), likely a leaked or revoked key being tried',
    { class: 'auth_failures', classification: 'a leaked or revoked key being tried', observed: 41, threshold: 20, ratio: 0.93, source_ip_ratio: 0.88, min_ratio: 0.5, window_s: 60, status_code: 401, error_code: 'invalid_api_key', failing_source_ips: 3 }),
  geo_new_country: base('geo_anomaly', 'new_country', 'high', 'key_91b72265b1f5', 'API key key_91b72265b1f5 used from São Paulo, BR: a country never seen for it',
    { country: 'BR', country_name: 'Brazil', city: 'São Paulo', known_countries: ['PL'], reason: 'never_seen', learning_since: '2026-11-20T00:00:00.000Z' }, { country: 'BR' }),
  geo_impossible_travel: base('geo_anomaly', 'impossible_travel', 'high', 'key_f1fd9755d4c1', 'A principal of API key key_f1fd9755d4c1 moved 15343 km to Singapore, SG in 40 min (23014 km/h)',
    { distance_km: 15_343, elapsed_s: 2400, speed_kmh: 23_014, max_kmh: 900, min_km: 500, to_country: 'SG', to_city: 'Singapore', known_countries: ['US', 'CA'], subject: 'principal' }, { country: 'SG' }),
  unattributed_key: base('unattributed_key', 'unattributed_key', 'high', 'key_000000unknown', 'API key key_000000unknown is in use on gw-prod-2 (prod) but is not in the identity directory',
    { gateway_id: 'gw-prod-2', environment: 'prod', client: 'openai-python', last_status_code: 200, calls: 57, accepted_calls: 57 }, { owner: undefined, principal_id: null }),
  revoked_key_used: base('revoked_key_used', 'revoked_key_used', 'critical', 'key_aa11bb22cc33', 'Revoked API key key_aa11bb22cc33 (checkout-api, team payments) was used and ACCEPTED',
    { revoked_at: '2026-11-20T10:00:00.000Z', last_status_code: 200, gateway_id: 'gw-prod-1', accepted_calls: 3, rejected_calls: 1 }),
  environment_mismatch: base('environment_mismatch', 'prod_key_outside_prod', 'high', 'key_dd44ee55ff66', 'API key key_dd44ee55ff66 issued for prod (checkout-api) is used in dev via gw-dev-1',
    { issued_environment: 'prod', seen_environment: 'dev', gateway_id: 'gw-dev-1', calls: 12 }),
  shared_key: base('shared_key', 'clients', 'medium', 'key_778899aabbcc', 'API key key_778899aabbcc is used by 3 different clients within 60 min (threshold 2)',
    { clients: ['curl', 'openai-node', 'openai-python'], principal_types: ['service'], window_minutes: 60, observed: 3, threshold: 2 }),
  key_rotation_overdue: base('key_rotation_overdue', 'key_rotation_overdue', 'low', 'key_1234567890ab', 'API key key_1234567890ab (checkout-api, team payments) is 131 days old, past its 90-day rotation policy, and still in use',
    { age_days: 131, max_age_days: 90, created: '2026-07-19T00:00:00.000Z', overdue_days: 41, calls: 12 }),
  dormant_key_reactivated: base('dormant_key_reactivated', 'dormant_key_reactivated', 'medium', 'key_ba0987654321', 'API key key_ba0987654321 was used again after 45 days without use',
    { last_seen_before: '2026-10-13T08:00:00.000Z', idle_days: 45, dormant_days: 30, gateway_id: 'gw-prod-1', calls: 2 }),
  budget_exceeded: base('budget_exceeded', 'budget_exceeded', 'high', 'key_cafe00000001', 'API key key_cafe00000001 has used 131% of its month USD budget for 2026-11 (threshold 100%)',
    { scope: 'key', subject: 'key_cafe00000001', period: 'month', period_key: '2026-11', unit: 'usd', spent: 1312.5, limit: 1000, threshold_pct: 100, percent: 131.3 }),
};
