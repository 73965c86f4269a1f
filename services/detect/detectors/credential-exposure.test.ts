import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { MetricsRegistry } from '../../common/metrics.js';
import type { UsageEvent } from '../../common/types.js';
import { resolveIndices, tokenizeConfig } from '../../tokenize/config.js';
import { parseKeyring } from '../../tokenize/keyring.js';
import { TokenizeStage } from '../../tokenize/stage.js';
import { fixtureEvent } from '../detector.js';
import { runDetectors } from '../replay.js';
import { config, detector, severityOf } from './credential-exposure.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const MIN = 60_000;
const keyring = parseKeyring(`t1:${randomBytes(32).toString('base64')}`, 'test key');
const stage = new TokenizeStage({ config: resolveIndices(tokenizeConfig.parse({ tokenizeKeys: 'x' })), keyring }, undefined, new MetricsRegistry());
const tok = (events: UsageEvent[]) => {
  for (const event of events) stage.tokenizeRecord({ event, doc: {}, alerts: [], partition: 0, offset: '0' });
  return events;
};
// fake credentials, assembled at run time
const openaiKey = () => ['sk-', 'proj-', 'aZ3kLm9PqR2sT5vW8xY1bC4dE7fG0hJ6kL9mN2pQ5rS8tU1vW4xY7zA0bC3dE6fG9hJ2k'].join('');
const pem = () => ['-----', 'BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----', 'END OPENSSH PRIVATE KEY-----'].join('');
const pw = ['DB_PASS', 'WORD=Corr3ct-', 'Horse!'].join('');

test('config: defaults and validation', () => {
  assert.equal(config.parse({}).clearAfterMs, 24 * 3600_000);
  assert.throws(() => config.parse({ minSeverity: 'urgent' }));
  assert.equal(config.fromEnv({ LLM_AUDIT_CREDENTIAL_EXPOSURE_MIN_SEVERITY: 'high' }).minSeverity, 'high');
});

test('severity: critical in a completion, high for cloud and LLM keys in a prompt, medium otherwise', () => {
  assert.equal(severityOf('completion', 'assignment'), 'critical');
  assert.equal(severityOf('prompt', 'llm'), 'high');
  assert.equal(severityOf('prompt', 'cloud'), 'high');
  assert.equal(severityOf('prompt', 'private_key'), 'medium');
  assert.equal(severityOf('user_agent', 'assignment'), 'medium');
});

test('one incident per key, credential type and field while it continues; the alert carries the token, never the value', async () => {
  const key = openaiKey();
  const events = tok([
    fixtureEvent({ occurred_at: T0, api_key_id: 'key_a', principal_id: 'alice', prompt: `my key is ${key}` }),
    fixtureEvent({ occurred_at: T0 + MIN, api_key_id: 'key_a', principal_id: 'alice', prompt: `still ${key} failing` }),
    fixtureEvent({ occurred_at: T0 + 2 * MIN, api_key_id: 'key_a', principal_id: 'alice', prompt: 'the key:', completion: `here: ${pem()}` }),
    fixtureEvent({ occurred_at: T0 + 3 * MIN, api_key_id: 'key_b', principal_id: 'bob', prompt: pw }),
  ]);
  const alerts = await runDetectors([detector], events);
  const by = (k: string, kind: string) => alerts.filter((a) => a.api_key_id === k && a.kind === kind);
  assert.equal(alerts.length, 3, JSON.stringify(alerts.map((a) => [a.api_key_id, a.kind, a.evidence.credential_type])));
  const [p] = by('key_a', 'in_prompt');
  assert.equal(p!.count, 2, 'the repeat joins the open incident');
  assert.equal(p!.severity, 'high');
  assert.deepEqual([p!.evidence.provider, p!.evidence.credential_type, p!.evidence.field, p!.principal_id], ['openai', 'openai_project_key', 'llm_audit.prompt', 'alice']);
  assert.match(String(p!.evidence.token), /^<SECRET:t1:[0-9a-f]{16}>$/);
  const [c] = by('key_a', 'in_completion');
  assert.equal(c!.severity, 'critical');
  assert.equal(c!.evidence.credential_type, 'openssh_private_key');
  const [g] = by('key_b', 'in_prompt');
  assert.equal(g!.severity, 'medium');
  assert.equal(g!.evidence.credential_type, 'password_assignment');
  const all = JSON.stringify(alerts);
  for (const raw of [key, 'BEGIN OPENSSH', 'Corr3ct-Horse!']) assert.ok(!all.includes(raw), `${raw} in an alert`);
});

test('a token-shaped string in the text raises nothing: only what the tokenize stage found counts', async () => {
  const events = [fixtureEvent({ occurred_at: T0, api_key_id: 'key_c', prompt: 'replayed <SECRET:k1:0123456789abcdef>' })];
  assert.deepEqual(await runDetectors([detector], events), []);
  assert.deepEqual(await runDetectors([detector], tok(events)), []);
});

test('minSeverity drops the medium ones', async () => {
  const only = { ...detector, create: (c: ReturnType<typeof config.parse>, ctx: { allowedLatenessMs: number }) => detector.create({ ...c, minSeverity: 'high' }, ctx) };
  const alerts = await runDetectors([only], tok([fixtureEvent({ occurred_at: T0, api_key_id: 'key_d', prompt: pw })]));
  assert.deepEqual(alerts, []);
});
