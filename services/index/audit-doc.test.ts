import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoMillis, toAuditDoc } from './audit-doc.js';
import type { UsageEvent } from '../common/types.js';

test('isoMillis is toISOString for every millisecond shape, in and out of the fast range', () => {
  const day = Date.UTC(2026, 10, 26);
  const values = [day, day - 1, day + 59_999, day + 60_000, day + 86_399_999, Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1) - 1, Date.UTC(2100, 0, 1), Date.UTC(1999, 11, 31, 23, 59, 59, 999), 0, -1, 1.5e12 + 0.5, Date.UTC(2028, 1, 29, 12, 0, 0, 7)];
  // a seeded walk over a few days: minutes change, seconds and milliseconds take every shape
  let x = 12345;
  let t = day;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    t += x % 20_000;
    values.push(t);
  }
  for (const v of values) assert.equal(isoMillis(v), new Date(v).toISOString(), String(v));
});

test('the audit document of an event', () => {
  const e: UsageEvent = {
    event_id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', occurred_at: Date.UTC(2026, 10, 26, 9, 30, 5, 42), gateway_id: 'gw-1', environment: 'prod',
    provider: 'openai', operation: 'chat.completions', model: 'gpt-4o', model_version: 'gpt-4o-2024-08-06', api_key_id: 'key_1',
    principal_id: 'user-1', source_ip: '10.0.0.1', user_agent: 'curl/8', status_code: 429, error_code: 'rate_limited',
    input_tokens: 10, output_tokens: 5, latency_ms: 30, request_id: 'req_1', prompt: 'raw text', completion: 'raw answer',
  };
  const doc = toAuditDoc(e, { partition: 2, offset: '41' }, Date.UTC(2026, 11, 1));
  assert.equal(JSON.stringify(doc), JSON.stringify({
    '@timestamp': '2026-11-26T09:30:05.042Z',
    event: { id: e.event_id, kind: 'event', category: ['api'], dataset: 'llm_audit.usage', outcome: 'failure', duration: 30_000_000, ingested: '2026-12-01T00:00:00.000Z' },
    http: { response: { status_code: 429 } },
    gen_ai: { system: 'openai', operation: { name: 'chat.completions' }, request: { model: 'gpt-4o' }, response: { model: 'gpt-4o-2024-08-06' }, usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 } },
    llm_audit: { schema_version: '1', api_key: { id: 'key_1' }, gateway: { id: 'gw-1' }, environment: 'prod', latency_ms: 30, request_id: 'req_1', kafka: { partition: 2, offset: 41 } },
    source: { ip: '10.0.0.1' }, user_agent: { original: 'curl/8' }, user: { id: 'user-1' }, error: { code: 'rate_limited' },
  }));
  assert.ok(!JSON.stringify(doc).includes('raw'), 'prompt and completion are never copied');
});
