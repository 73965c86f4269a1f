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
  token_spike: base('token_spike', 'token_spike', 'high', 'key_5ecf33318247', 'Token use 9.4x the baseline for this key', { observed: 188_000, baseline: 20_000, window_s: 300, threshold: 80_000, zscore: 7.25 }),
  invalid_request_burst: base('invalid_request_burst', 'auth_failures', 'high', 'key_c6e955fdc401', '41 failed requests in 60 s', { burst: 41, total: 44, window_s: 60, threshold: 20, status_mix: { '401': 38, '403': 3 }, error_codes: { invalid_api_key: 38, insufficient_permissions: 3 } }),
  geo_new_country: base('geo_anomaly', 'new_country', 'medium', 'key_91b72265b1f5', 'First request from BR for this key', { country: 'BR', home_countries: ['PL'], source_ip_hash: 'ip_3f9a' }, { country: 'BR' }),
  geo_impossible_travel: base('geo_anomaly', 'impossible_travel', 'critical', 'key_f1fd9755d4c1', 'US then SG 40 min apart', { from_country: 'US', to_country: 'SG', distance_km: 15_342.7, elapsed_s: 2400, speed_kmh: 23_014, home_countries: ['US', 'CA'] }, { country: 'SG' }),
  unattributed_key: base('unattributed_key', 'unattributed_key', 'medium', 'key_000000unknown', 'Key not in the identity directory', { events: 57 }, { owner: undefined, principal_id: null }),
  revoked_key_used: base('revoked_key_used', 'revoked_key_used', 'critical', 'key_aa11bb22cc33', 'Revoked key still in use', { revoked_at: '2026-11-20T10:00:00Z', events: 3 }),
  environment_mismatch: base('environment_mismatch', 'environment_mismatch', 'high', 'key_dd44ee55ff66', 'Prod key used from a dev gateway', { expected_environment: 'prod', observed_environment: 'dev', gateway_id: 'gw-dev-1' }),
  shared_key: base('shared_key', 'shared_key', 'medium', 'key_778899aabbcc', 'One key used by 3 services', { services: ['checkout-api', 'search-api-0', 'batch-etl'], distinct_principals: 6 }),
  key_rotation_overdue: base('key_rotation_overdue', 'key_rotation_overdue', 'low', 'key_1234567890ab', 'Key older than the rotation policy', { age_days: 131, max_age_days: 90 }),
  dormant_key_reactivated: base('dormant_key_reactivated', 'dormant_key_reactivated', 'medium', 'key_ba0987654321', 'Key used again after 45 days', { dormant_days: 45, dormant_after_days: 30, last_used: '2026-10-13' }),
  budget_exceeded: base('budget_exceeded', 'budget_exceeded', 'high', 'key_cafe00000001', 'Monthly budget exceeded', { spend_usd: 1312.5, budget_usd: 1000, period: 'month' }),
};
