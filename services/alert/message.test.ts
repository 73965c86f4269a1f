import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Alert } from '../common/types.js';
import { RULE_FIXTURES } from './fixtures.js';
import { alertMessage, evidenceLines, kibanaDiscoverUrl, summaryMessage, updateMessage, type LinkSettings } from './message.js';

const links: LinkSettings = { kibanaUrl: 'https://kibana.example/', kibanaDataView: 'llm-audit-events', runbookBaseUrl: 'https://runbooks.example/r' };

describe('alertMessage', () => {
  it('token_spike: the exact Block Kit payload', () => {
    const a = RULE_FIXTURES.token_spike!;
    const id = 'token_spike:key_tokens:key_5ecf33318247:1795770000000';
    assert.deepEqual(alertMessage(a, links), {
      text: '[HIGH] token_spike (key_tokens) on key_5ecf33318247 (payments/checkout-api): API key key_5ecf33318247 used 188000 tokens in ~5 min, 9.4x its baseline of 20000',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: ':red_circle: HIGH · token_spike (key_tokens)', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: 'API key key_5ecf33318247 used 188000 tokens in ~5 min, 9.4x its baseline of 20000' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Key*\n`key_5ecf33318247`' },
            { type: 'mrkdwn', text: '*Team*\npayments' },
            { type: 'mrkdwn', text: '*Service*\ncheckout-api' },
            { type: 'mrkdwn', text: '*Environment*\nprod' },
            { type: 'mrkdwn', text: '*Principal*\nservice svc-checkout' },
            { type: 'mrkdwn', text: '*Events*\n12 from 2026-11-27T09:00:00Z to 2026-11-27T09:01:00Z' },
          ],
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '*Evidence*\n*Observed* 188,000 tokens in 5 min against a baseline of 20,000 (learned over 24 h): *×9.4*\n*Threshold* 80,000 tokens (×4 the baseline, at least 20,000)\nmodel: gpt-4o-mini\nsubject: api_key' },
        },
        {
          type: 'actions',
          block_id: 'llm_audit_actions',
          elements: [
            { type: 'button', action_id: 'llm_audit_ack', text: { type: 'plain_text', text: 'Acknowledge' }, style: 'primary', value: id },
            { type: 'button', action_id: 'llm_audit_resolve', text: { type: 'plain_text', text: 'Resolve' }, value: id },
            {
              type: 'button', action_id: 'llm_audit_kibana', text: { type: 'plain_text', text: 'Open in Kibana' },
              url: "https://kibana.example/app/discover#/?_g=(time%3A(from%3A'2026-11-27T08%3A45%3A00Z'%2Cto%3A'2026-11-27T09%3A16%3A00Z'))&_a=(dataSource%3A(dataViewId%3A'llm-audit-events'%2Ctype%3AdataView)%2Cquery%3A(language%3Akuery%2Cquery%3A'llm_audit.api_key.id%3A%22key_5ecf33318247%22'))",
            },
            { type: 'button', action_id: 'llm_audit_runbook', text: { type: 'plain_text', text: 'Runbook' }, url: 'https://runbooks.example/r/token_spike.md' },
          ],
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: `Status: open · alert \`${id}\` · detected 2026-11-27T09:01:05Z` }] },
      ],
    });
  });

  it('geo_anomaly impossible_travel: header names the kind, evidence has distance and speed', () => {
    const m = alertMessage(RULE_FIXTURES.geo_impossible_travel!, links);
    assert.equal(m.text, '[HIGH] geo_anomaly (impossible_travel) on key_f1fd9755d4c1 (payments/checkout-api): A principal of API key key_f1fd9755d4c1 moved 15343 km to Singapore, SG in 40 min (23014 km/h)');
    assert.deepEqual(m.blocks[0], { type: 'header', text: { type: 'plain_text', text: ':red_circle: HIGH · geo_anomaly (impossible_travel)', emoji: true } });
    assert.deepEqual(m.blocks[3], { type: 'section', text: { type: 'mrkdwn', text: '*Evidence*\n*Travel* to SG (Singapore), 15,343 km in 40 min: *23,014 km/h* (limit 900 km/h)\n*Known countries* US, CA\nsubject: principal' } });
    assert.equal((m.blocks[4] as { elements: { url?: string }[] }).elements[3]!.url, 'https://runbooks.example/r/geo_anomaly.md');
  });

  it('revoked_key_used (critical): the exact header, evidence and fallback text', () => {
    const m = alertMessage(RULE_FIXTURES.revoked_key_used!, links);
    assert.equal(m.text, '[CRITICAL] revoked_key_used on key_aa11bb22cc33 (payments/checkout-api): Revoked API key key_aa11bb22cc33 (checkout-api, team payments) was used and ACCEPTED');
    assert.deepEqual(m.blocks[0], { type: 'header', text: { type: 'plain_text', text: ':rotating_light: CRITICAL · revoked_key_used', emoji: true } });
    assert.deepEqual(m.blocks[3], { type: 'section', text: { type: 'mrkdwn', text: '*Evidence*\n*Revoked* 2026-11-20T10:00:00.000Z; still presented via `gw-prod-1`, last answer 200\n*Calls* *3 accepted*, 1 rejected' } });
  });

  it('unattributed_key: unknown owner fields say so instead of being empty', () => {
    const m = alertMessage(RULE_FIXTURES.unattributed_key!, links);
    assert.equal(m.text, '[HIGH] unattributed_key on key_000000unknown: API key key_000000unknown is in use on gw-prod-2 (prod) but is not in the identity directory');
    assert.deepEqual((m.blocks[2] as { fields: unknown[] }).fields.slice(1, 5), [
      { type: 'mrkdwn', text: '*Team*\n_unknown_' },
      { type: 'mrkdwn', text: '*Service*\n_unknown_' },
      { type: 'mrkdwn', text: '*Environment*\n_unknown_' },
      { type: 'mrkdwn', text: '*Principal*\n_unknown_' },
    ]);
  });

  it('acknowledged: no Acknowledge button, the context names who and when; resolved: no lifecycle buttons', () => {
    const a = RULE_FIXTURES.budget_exceeded!;
    const acked = alertMessage(a, links, { status: 'acknowledged', acknowledged_by: 'U123', acknowledged_at: Date.UTC(2026, 10, 27, 9, 5) });
    const actions = (m: typeof acked) => (m.blocks.find((b) => b.type === 'actions') as { elements: { action_id: string }[] }).elements.map((e) => e.action_id);
    assert.deepEqual(actions(acked), ['llm_audit_resolve', 'llm_audit_kibana', 'llm_audit_runbook']);
    assert.match(JSON.stringify(acked.blocks.at(-1)), /:eyes: Acknowledged by <@U123> at 2026-11-27T09:05:00Z/);
    const resolved = alertMessage(a, links, { status: 'resolved', resolved_by: 'U9', resolved_at: Date.UTC(2026, 10, 27, 10) });
    assert.deepEqual(actions(resolved), ['llm_audit_kibana', 'llm_audit_runbook']);
    assert.match(JSON.stringify(resolved.blocks.at(-1)), /Resolved by <@U9> at 2026-11-27T10:00:00Z/);
  });

  it('escapes Slack control characters coming from detectors or the directory', () => {
    const a: Alert = { ...RULE_FIXTURES.shared_key!, message: 'x <!channel> & <https://evil|click>', owner: { team: '<!here>' } };
    const s = JSON.stringify(alertMessage(a, links).blocks);
    assert.ok(!s.includes('<!channel>') && !s.includes('<!here>') && !s.includes('<https://evil'), s);
    assert.ok(s.includes('&lt;!channel&gt; &amp; &lt;https://evil|click&gt;'));
  });

  it('the fallback text of every message is escaped like its blocks: no mention or crafted link from event data', () => {
    const a: Alert = { ...RULE_FIXTURES.shared_key!, api_key_id: 'key_<!channel>', message: 'x <!channel> & <https://evil|click>', owner: { team: '<!here>', service: '<@U123>' } };
    const texts = [
      alertMessage(a, links).text,
      updateMessage({ ...a, count: a.count + 5 }, { last_count: a.count, severity: a.severity }).text,
      summaryMessage('#c', [{ alert_id: a.id, rule: '<!everyone>', severity: 'high', api_key_id: a.api_key_id, team: '<!here>', last_count: 3 }], 60_000, links).text,
    ];
    for (const t of texts) assert.ok(!/<[!@#]|<https?:/.test(t), t);
    assert.ok(texts[0]!.includes('&lt;!channel&gt;'));
  });
});

describe('evidenceLines: every rule shows its numbers', () => {
  const table: [string, string[]][] = [
    ['token_spike', ['*Observed* 188,000 tokens in 5 min against a baseline of 20,000 (learned over 24 h): *×9.4*', '*Threshold* 80,000 tokens (×4 the baseline, at least 20,000)', 'model: gpt-4o-mini', 'subject: api_key']],
    ['invalid_request_burst', ["*Burst* ~41 failed requests in 60 s (threshold 20), *93%* of the key's requests", '*Status mix* last status 401 `invalid_api_key` · 3 failing source IPs · 88% from the top IP', '*Likely* a leaked or revoked key being tried']],
    ['geo_new_country', ['*New country* BR (São Paulo, Brazil), never seen for this key', '*Known countries* PL (since 2026-11-20T00:00:00.000Z)']],
    ['geo_impossible_travel', ['*Travel* to SG (Singapore), 15,343 km in 40 min: *23,014 km/h* (limit 900 km/h)', '*Known countries* US, CA', 'subject: principal']],
    ['unattributed_key', ['*Owner* not in the identity directory; seen via `gw-prod-2` (prod), client openai-python', '*Calls* 57 (57 accepted)', 'last status code: 200']],
    ['revoked_key_used', ['*Revoked* 2026-11-20T10:00:00.000Z; still presented via `gw-prod-1`, last answer 200', '*Calls* *3 accepted*, 1 rejected']],
    ['environment_mismatch', ['*Environment* issued for `prod`, used in `dev` via `gw-dev-1`', '*Calls* 12']],
    ['shared_key', ['*Clients* 3 within 60 min (threshold 2)', '*Clients seen* `curl`, `openai-node`, `openai-python`', '*Principal types seen* `service`']],
    ['key_rotation_overdue', ['*Key age* 131 days (policy: rotate every 90 days, *41 days overdue*), created 2026-07-19T00:00:00.000Z', '*Calls* 12']],
    ['dormant_key_reactivated', ['*Idle* 45 days before this use via `gw-prod-1` (dormant after 30 days); last used 2026-10-13T08:00:00.000Z', '*Calls* 2']],
    ['budget_exceeded', ['*Spend* $1,312.5 of a $1,000 month budget: *131.3%* (alerts at 100%), 2026-11', '*Budget of* key `key_cafe00000001`']],
  ];
  for (const [name, want] of table) it(name, () => assert.deepEqual(evidenceLines(RULE_FIXTURES[name]!), want));

  it('geo_anomaly denied_country and new country outside the allowed list', () => {
    const g = RULE_FIXTURES.geo_new_country!;
    assert.deepEqual(evidenceLines({ ...g, kind: 'denied_country', evidence: { country: 'KP', deny_list: ['KP', 'IR'] } }), ['*Denied country* KP (deny list: KP, IR)']);
    assert.deepEqual(evidenceLines({ ...g, evidence: { country: 'DE', reason: 'outside_allowed_countries', allowed_countries: ['US', 'CA'] } }), ['*New country* DE, outside its allowed countries (US, CA)']);
  });

  it('a rule nobody taught the formatter still shows all of its evidence', () => {
    assert.deepEqual(evidenceLines({ ...RULE_FIXTURES.token_spike!, rule: 'brand_new_rule', evidence: { b_value: 2.5, a_list: ['x', 'y'], nested: { '500': 3, '502': 9 }, skipped: null } }), [
      'a list: x, y', 'b value: 2.5', 'nested: 502: 9, 500: 3',
    ]);
  });
});

describe('updateMessage and summaryMessage', () => {
  it('an update names the incident, the growth and a severity change', () => {
    const m = updateMessage({ ...RULE_FIXTURES.token_spike!, count: 20 }, { last_count: 12, severity: 'medium' });
    assert.equal(m.text, 'Update: token_spike (key_tokens) on key_5ecf33318247: 20 events (+8), last seen 2026-11-27T09:01:00Z · severity medium → *high*');
  });

  it('a storm summary lists every held alert and counts per rule', () => {
    const held = Array.from({ length: 300 }, (_, i) => ({ alert_id: `a${i}`, rule: i % 3 ? 'token_spike' : 'geo_anomaly', severity: 'high' as const, api_key_id: `key_${i}`, team: 'payments', last_count: 1 }));
    const m = summaryMessage('#team-payments', held, 60_000, links);
    assert.equal(m.text, 'Alert storm in #team-payments: 300 alerts held back by the rate cap in the last 60 s (token_spike: 200, geo_anomaly: 100)');
    const listed = m.blocks.filter((b) => b.type === 'section').slice(1).flatMap((b) => (b as { text: { text: string } }).text.text.split('\n'));
    assert.equal(listed.length, 300);
    for (const h of held) assert.ok(listed.some((l) => l.endsWith(`\`${h.alert_id}\``)), h.alert_id);
    assert.ok(m.blocks.length <= 50);
    assert.ok(m.blocks.every((b) => JSON.stringify(b).length < 3100));
  });

  it('more held alerts than one message holds: the rest are counted, not dropped', () => {
    const held = Array.from({ length: 3000 }, (_, i) => ({ alert_id: `alert-${i}-xxxxxxxxxxxxxxxxxxxxxxxxxxxx`, rule: 'token_spike', severity: 'low' as const, api_key_id: `key_${i}`, team: null, last_count: 1 }));
    const m = summaryMessage('#x', held, 60_000, links);
    assert.equal(m.blocks.length, 48);
    const listed = m.blocks.filter((b) => b.type === 'section').slice(1).reduce((n, b) => n + (b as { text: { text: string } }).text.text.split('\n').length, 0);
    assert.match(JSON.stringify(m.blocks.at(-1)), new RegExp(`…and ${3000 - listed} more`));
  });

  it('the Discover link escapes quotes in rison and keeps the key filter', () => {
    const u = decodeURIComponent(kibanaDiscoverUrl(links, { api_key_id: "k'ey!", first_seen: 0, last_seen: 0 }));
    assert.ok(u.includes("query:'llm_audit.api_key.id:\"k!'ey!!\"'"), u);
  });
});
