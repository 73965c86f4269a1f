import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ev, ident, input } from '../fixtures.js';
import { EnvironmentMismatch } from './environment-mismatch.js';

test('environment_mismatch: severity by direction', () => {
  const f = new EnvironmentMismatch();
  const cases = [
    { issued: 'prod', seen: 'dev', kind: 'prod_key_outside_prod', severity: 'high' },
    { issued: 'dev', seen: 'prod', kind: 'nonprod_key_in_prod', severity: 'medium' },
    { issued: 'dev', seen: 'staging', kind: 'nonprod_cross_environment', severity: 'low' },
  ] as const;
  for (const c of cases) {
    const [o] = f.check(input({ identity: ident({ environment: c.issued }), event: ev({ environment: c.seen }) }));
    assert.equal(o?.kind, c.kind, `${c.issued} key in ${c.seen}`);
    assert.equal(o?.severity, c.severity);
    assert.deepEqual([o?.evidence.issued_environment, o?.evidence.seen_environment], [c.issued, c.seen]);
  }
});

test('environment_mismatch is quiet for a key within its environment, and for unknown keys', () => {
  const f = new EnvironmentMismatch();
  for (const env of ['dev', 'staging', 'prod'] as const) assert.deepEqual(f.check(input({ identity: ident({ environment: env }), event: ev({ environment: env }) })), []);
  assert.deepEqual(f.check(input({ identity: undefined, event: ev({ environment: 'dev' }) })), []);
});
