import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidInputError } from '../common/errors.js';
import { validateEvent } from './validate.js';

const good = () => ({
  event_id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', occurred_at: 1795651200308, gateway_id: 'gw-us-1', environment: 'prod',
  provider: 'openai', operation: 'chat.completions', model: 'gpt-4o', model_version: null, api_key_id: 'key_1',
  principal_id: null, source_ip: '2001:db8::1', user_agent: null, status_code: 429, error_code: 'rate_limit_exceeded',
  input_tokens: 10, output_tokens: 0, latency_ms: 30, request_id: null, prompt: null, completion: null,
});

describe('usage-event validation', () => {
  it('accepts a valid event and fills omitted nullable fields with null', () => {
    const e: Record<string, unknown> = good();
    delete e.prompt;
    delete e.user_agent;
    const v = validateEvent(e);
    assert.equal(v.prompt, null);
    assert.equal(v.user_agent, null);
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['not an object', [] as unknown as Record<string, unknown>, /JSON object/],
    ['a non-uuid event id', { event_id: 'abc' }, /event_id/],
    ['seconds instead of millis', { occurred_at: 1795651200 }, /occurred_at.*out of range/],
    ['a float timestamp', { occurred_at: 1.5e12 + 0.5 }, /occurred_at/],
    ['an unknown environment', { environment: 'qa' }, /environment/],
    ['an empty api key id', { api_key_id: '' }, /api_key_id/],
    ['a huge gateway id', { gateway_id: 'g'.repeat(300) }, /gateway_id.*longer/],
    ['a numeric principal', { principal_id: 42 }, /principal_id/],
    ['negative tokens', { input_tokens: -1 }, /input_tokens/],
    ['implausible tokens', { output_tokens: 50_000_000 }, /token counts/],
    ['a status out of range', { status_code: 42 }, /status_code/],
    ['a string status', { status_code: '200' }, /status_code/],
    ['a bad ip', { source_ip: '999.1.1.1' }, /source_ip/],
    ['an octet of 256', { source_ip: '10.0.256.1' }, /source_ip/],
    ['a five-group address', { source_ip: '1.2.3.4.5' }, /source_ip/],
    ['a four-digit octet', { source_ip: '1.2.3.0255' }, /source_ip/],
    ['a prompt that is not text', { prompt: { a: 1 } }, /prompt/],
    ['an unknown field', { api_key_secret: 'sk-...' }, /api_key_secret.*unknown field/],
  ];
  for (const [name, patch, msg] of cases) {
    it(`rejects ${name}, naming the field`, () => {
      const e = Array.isArray(patch) ? patch : { ...good(), ...patch };
      assert.throws(() => validateEvent(e), (err: unknown) => err instanceof InvalidInputError && err.reason === 'invalid_event' && msg.test(err.message));
    });
  }

  it('accepts IPv4 octets 0..255, with leading zeros as before, and IPv6', () => {
    for (const ip of ['0.0.0.0', '255.255.255.255', '010.001.0.09', '199.249.250.251', '2001:db8::1', '::ffff:10.0.0.1']) assert.equal(validateEvent({ ...good(), source_ip: ip }).source_ip, ip);
  });

  it('never echoes the offending value into the error', () => {
    assert.throws(
      () => validateEvent({ ...good(), source_ip: 'jane.doe@example.com' }),
      (err: unknown) => err instanceof InvalidInputError && /source_ip/.test(err.message) && !err.message.includes('jane.doe'),
    );
  });
});
