import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../common/errors.js';
import { parseDirectoryText, validateIdentity } from './identity.js';

const good = `
teams:
  payments:
    slack_channel: "#payments-oncall"
    cost_center: CC-1200
    budget: { daily_usd: 50, monthly_usd: 1000 }
keys:
  - api_key_id: key_5ecf33318247
    team: payments
    service: checkout-api
    environment: prod
    principal_type: service
    created: 2026-10-01
    status: active
    allowed_countries: [US, CA]
  - api_key_id: key_0001
    team: payments
    service: refunds-worker
    environment: dev
    principal_type: workload
    created: "2026-09-01T00:00:00Z"
    rotation_max_age_days: 60
    status: revoked
    revoked_at: 2026-11-20
    budget: { daily_tokens: 100000 }
`;

test('a directory file parses with defaults filled in', () => {
  const d = parseDirectoryText(good, 'identities.yaml');
  const k = d.keys.get('key_5ecf33318247')!;
  assert.equal(k.rotation_max_age_days, 90);
  assert.equal(k.created, Date.parse('2026-10-01'));
  assert.deepEqual(k.allowed_countries, ['US', 'CA']);
  assert.equal(k.budget, null);
  assert.equal(d.keys.get('key_0001')!.status, 'revoked');
  assert.equal(d.keys.get('key_0001')!.budget?.daily_tokens, 100000);
  assert.equal(d.teams.get('payments')!.budget?.monthly_usd, 1000);
});

test('JSON works as well', () => {
  const d = parseDirectoryText(JSON.stringify({ keys: [{ api_key_id: 'k1', team: 't', service: 's', environment: 'dev', created: 0 }] }), 'ids.json');
  assert.equal(d.keys.get('k1')!.principal_type, 'service');
});

test('invalid entries are rejected with an error naming each entry and field', () => {
  const bad = `
keys:
  - api_key_id: key_ok
    team: t
    service: s
    environment: prod
    created: 2026-01-01
  - api_key_id: key_bad_env
    team: t
    service: s
    environment: production
    created: 2026-01-01
  - team: t
    service: s
    environment: dev
    created: 2026-01-01
  - api_key_id: key_bad_date
    team: t
    service: s
    environment: dev
    created: last tuesday
  - api_key_id: key_ok
    team: t
    service: s
    environment: prod
    created: 2026-01-01
    colour: blue
`;
  assert.throws(() => parseDirectoryText(bad, 'ids.yaml'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    const m = err.message;
    assert.match(m, /4 invalid entries/);
    assert.match(m, /keys\[1\] \(api_key_id key_bad_env\): environment must be one of dev, staging, prod, got "production"/);
    assert.match(m, /keys\[2\]: api_key_id is required/);
    assert.match(m, /keys\[3\] \(api_key_id key_bad_date\): created is not a date/);
    assert.match(m, /keys\[4\] \(api_key_id key_ok\): unknown field\(s\) colour/);
    return true;
  });
});

test('validation table', () => {
  const base = { api_key_id: 'k', team: 't', service: 's', environment: 'dev', created: '2026-01-01' };
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...base, team: '' }, /team is required/],
    [{ ...base, status: 'disabled' }, /status must be one of active, revoked/],
    [{ ...base, rotation_max_age_days: 0 }, /rotation_max_age_days must be a positive integer/],
    [{ ...base, allowed_countries: ['usa'] }, /alpha-2/],
    [{ ...base, budget: { daily_usd: -1 } }, /budget.daily_usd must be a positive number/],
    [{ ...base, budget: { weekly_usd: 1 } }, /unknown budget field/],
    [{ ...base, api_key_id: 'sk-proj abc' }, /never the secret/],
  ];
  for (const [raw, re] of cases) assert.throws(() => validateIdentity(raw, 'entry'), re);
});

test('the shipped example directory is valid', async () => {
  const { readFileSync } = await import('node:fs');
  const { deployDir } = await import('../common/paths.js');
  const path = `${deployDir()}/identities.example.yaml`;
  const d = parseDirectoryText(readFileSync(path, 'utf8'), path);
  assert.equal(d.keys.get('key_25f46a4a2ead')?.status, 'revoked');
  assert.equal(d.teams.get('payments')?.budget?.daily_usd, 50);
});
