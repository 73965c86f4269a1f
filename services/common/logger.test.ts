import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (s: string) => void lines.push(s) } });
  return { logger, lines };
}

const PROMPT = 'my card is 4111 1111 1111 1111 and my email is jane.doe@example.com';

describe('logger redaction', () => {
  const shapes: [string, Record<string, unknown>][] = [
    ['top-level prompt', { prompt: PROMPT }],
    ['top-level completion', { completion: PROMPT }],
    ['event.prompt', { event: { prompt: PROMPT, api_key_id: 'key_1' } }],
    ['record.event.completion', { record: { event: { completion: PROMPT } } }],
    ['text', { text: PROMPT }],
    ['entity original', { entity: { original: PROMPT } }],
    ['secret', { config: { slackBotToken: 'xoxb-test-not-a-real-token' } }],
    ['authorization header', { req: { headers: { authorization: 'Bearer sk-proj-abc' } } }],
  ];
  for (const [name, obj] of shapes) {
    it(`redacts ${name}`, () => {
      const { logger, lines } = capture();
      logger.info(obj, 'processed');
      assert.equal(lines.length, 1);
      assert.ok(!lines[0]!.includes('4111 1111'), lines[0]);
      assert.ok(!lines[0]!.includes('jane.doe@example.com'), lines[0]);
      assert.ok(!lines[0]!.includes('xoxb-test-not'), lines[0]);
      assert.ok(!lines[0]!.includes('sk-proj-abc'), lines[0]);
      assert.ok(lines[0]!.includes('[REDACTED]'));
    });
  }

  it('keeps the fields an operator needs', () => {
    const { logger, lines } = capture();
    logger.info({ event: { api_key_id: 'key_1', prompt: PROMPT }, requestId: 'req_9', count: 3 }, 'batch');
    const line = JSON.parse(lines[0]!) as { event: { api_key_id: string }; requestId: string; count: number; msg: string };
    assert.equal(line.event.api_key_id, 'key_1');
    assert.equal(line.requestId, 'req_9');
    assert.equal(line.count, 3);
    assert.equal(line.msg, 'batch');
  });
});

describe('logger redaction of configuration secrets at any depth', () => {
  it('a full configuration object, logged whole or nested, shows no secret', async () => {
    const { loadAllConfigs } = await import('./config-registry.js');
    const registry = await loadAllConfigs();
    const markers: string[] = [];
    const mark = (name: string) => {
      const m = ['SECRETMARK', name, String(markers.length)].join('_');
      markers.push(m);
      return m;
    };
    // every schema, every field: secrets get a marker, the rest a harmless value
    const full: Record<string, Record<string, unknown>> = {};
    for (const schema of registry.values()) {
      const c: Record<string, unknown> = {};
      for (const [k, f] of Object.entries(schema.spec)) c[k] = (f as { secret?: boolean }).secret ? mark(k) : 'ok';
      full[schema.component] = c;
    }
    assert.ok(markers.length >= 8, `secret fields found in the schemas: ${markers.length}`);
    // what other settings carry secrets (SASL, ES API key, keys in files), at odd depths and spellings
    const extra = {
      kafka: { brokers: ['b:9092'], sasl: { mechanism: 'scram-sha-512', username: 'u', password: mark('sasl') }, ssl: { key: mark('sslkey'), ca: 'ca' } },
      elasticsearch: { node: 'http://es', auth: { apiKey: mark('apiKey'), username: 'elastic', password: mark('espw') }, api_key: mark('api_key'), apiKey: { id: 'x', api_key: mark('nested') } },
      compliance: { signing: { signingKey: mark('signingKey'), verify_key: mark('verify_key'), private_key: mark('pk') } },
      deep: { a: { b: { c: { d: { e: { ES_PASSWORD: mark('env'), SLACK_BOT_TOKEN: mark('bot'), KAFKA_SASL_PASSWORD: mark('saslenv') } } } } } },
      list: [{ clientSecret: mark('list') }],
    };
    const { logger, lines } = capture();
    logger.info({ config: full }, 'starting');
    logger.info(full, 'flat');
    logger.info({ settings: extra, nested: { again: { config: full } } }, 'nested');
    logger.child({ config: extra }).warn('child bindings');
    const out = lines.join('\n');
    for (const m of markers) assert.ok(!out.includes(m), `secret ${m} leaked: ${out.slice(out.indexOf(m) - 80, out.indexOf(m) + 20)}`);
    // and what an operator needs survives
    const first = JSON.parse(lines[0]!) as { config: { core: { kafkaBrokers: string; indexPrefix: string } } };
    assert.equal(first.config.core.indexPrefix, 'ok');
  });

  it('keeps key ids, token counts and key versions', () => {
    const { logger, lines } = capture();
    logger.info({ event: { api_key_id: 'key_1', input_tokens: 5, output_tokens: 7 }, key_version: 'k2', keyId: 'main', tokens: 12 }, 'x');
    const l = JSON.parse(lines[0]!) as { event: { api_key_id: string; input_tokens: number }; key_version: string; keyId: string; tokens: number };
    assert.deepEqual([l.event.api_key_id, l.event.input_tokens, l.key_version, l.keyId, l.tokens], ['key_1', 5, 'k2', 'main', 12]);
  });
});
