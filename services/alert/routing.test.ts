import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../common/errors.js';
import type { Alert } from '../common/types.js';
import { alertConfig } from './config.js';
import { RULE_FIXTURES } from './fixtures.js';
import { parseRouting, route } from './routing.js';

const cfg = alertConfig.parse({});
const FILE = `
defaultChannel: "#llm-audit-alerts"
escalation: { channel: "#security-oncall", minSeverity: critical }
channelDefaults: { minSeverity: low, rateCap: { burst: 5, perMinute: 2 } }
channels:
  "#team-search": { minSeverity: high }
teams:
  search: "#team-search"
webhooks:
  - { name: pagerduty, url: "https://events.example/pd", secretEnv: PD_SECRET, minSeverity: critical }
  - { name: soc, url: "https://soc.example/hook", secretEnv: SOC_SECRET, rules: [revoked_key_used, geo_anomaly] }
`;
const r = parseRouting(FILE, cfg);
const alert = (severity: Alert['severity'], owner: Alert['owner'], rule = 'token_spike'): Alert => ({ ...RULE_FIXTURES.token_spike!, rule, severity, owner });
const where = (a: Alert) => route(r, a).map((t) => `${t.sink}:${t.channel}:${t.reason}`);

describe('route', () => {
  const table: [string, Alert, string[]][] = [
    ['owner channel from the directory', alert('medium', { team: 'payments', slack_channel: '#team-payments' }), ['slack:#team-payments:owner']],
    ['directory channel without #', alert('medium', { team: 'payments', slack_channel: 'team-payments' }), ['slack:#team-payments:owner']],
    ['team known only to the routing file', alert('high', { team: 'search' }), ['slack:#team-search:owner']],
    ['below the team channel minimum: dropped there', alert('medium', { team: 'search' }), []],
    ['no owner: default channel', alert('low', undefined), ['slack:#llm-audit-alerts:default']],
    ['critical: owner, escalation and pagerduty', alert('critical', { team: 'payments', slack_channel: '#team-payments' }), ['slack:#team-payments:owner', 'slack:#security-oncall:escalation', 'pagerduty:pagerduty:webhook']],
    ['webhook filtered by rule', alert('medium', undefined, 'revoked_key_used'), ['slack:#llm-audit-alerts:default', 'soc:soc:webhook']],
  ];
  for (const [name, a, want] of table) it(name, () => assert.deepEqual(where(a), want));

  it('per-channel rate caps inherit channelDefaults', () => {
    assert.deepEqual(r.channels.get('#team-search')?.rateCap, { burst: 5, perMinute: 2 });
  });

  it('without a routing file, everything goes to the configured default channel', () => {
    const plain = parseRouting('', { ...cfg, escalationChannel: '#esc' });
    assert.deepEqual(route(plain, alert('critical', { team: 'x' })).map((t) => t.channel), ['#llm-audit-alerts', '#esc']);
  });
});

describe('parseRouting rejects mistakes with a message that says how to fix them', () => {
  const bad: [string, string, RegExp][] = [
    ['unknown key', 'defaultChanel: "#x"', /unknown key\(s\) defaultChanel.*allowed: defaultChannel/],
    ['bad severity', 'channelDefaults: { minSeverity: urgent }', /minSeverity must be one of low, medium, high, critical/],
    ['bad channel', 'teams: { a: "Team Alerts" }', /teams.a must be a channel like #team-alerts/],
    ['webhook without secretEnv', 'webhooks: [{ name: pd, url: "https://x" }]', /secretEnv must name the environment variable/],
    ['duplicate webhook', 'webhooks: [{ name: pd, url: "https://x", secretEnv: A }, { name: pd, url: "https://y", secretEnv: B }]', /used twice/],
    ['not YAML', 'a: [1, 2', /not valid YAML/],
    ['negative burst', 'channelDefaults: { rateCap: { burst: -1 } }', /burst must be a positive number/],
  ];
  for (const [name, text, msg] of bad) it(name, () => assert.throws(() => parseRouting(text, cfg), (e: unknown) => e instanceof ConfigError && msg.test(e.message)));
});
