import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SASLOptions } from 'kafkajs';
import { checkEs, createEs } from './es.js';
import { kafkaSecurityOptions } from './kafka.js';
import { coreConfig } from './settings.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-audit-sec-'));
const pw = ['pass', 'word-', Math.random().toString(36).slice(2)].join('');
const PEM_HEAD = ['-----BEGIN', ' CERTIFICATE-----'].join('');
writeFileSync(join(dir, 'ca.pem'), `${PEM_HEAD}\nMIIB\n`);

test('Kafka TLS and SASL come from the environment, as every service reads it', () => {
  const core = coreConfig.fromEnv({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'), KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'llmaudit', KAFKA_SASL_PASSWORD: pw });
  const o = kafkaSecurityOptions(core, {});
  assert.deepEqual(o.sasl, { mechanism: 'scram-sha-512', username: 'llmaudit', password: pw });
  assert.equal((o.ssl as { rejectUnauthorized: boolean }).rejectUnauthorized, true);
  assert.match(String((o.ssl as { ca: Buffer[] }).ca[0]), /BEGIN CERTIFICATE/);
  assert.deepEqual(kafkaSecurityOptions(coreConfig.fromEnv({}), {}), {}, 'nothing set: plaintext, as before');
});

test('a password file works like the variable (KAFKA_SASL_PASSWORD_FILE)', () => {
  writeFileSync(join(dir, 'pw'), `${pw}\n`);
  const core = coreConfig.fromEnv({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: join(dir, 'pw') });
  assert.equal((kafkaSecurityOptions(core, {}).sasl as { password: string }).password, pw);
});

test('missing or unreadable pieces fail at start, naming the variable', () => {
  assert.throws(() => kafkaSecurityOptions(coreConfig.fromEnv({ KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }), {}), /KAFKA_SASL_PASSWORD/);
  assert.throws(() => kafkaSecurityOptions(coreConfig.fromEnv({ KAFKA_SSL: '1', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') }), {}), /KAFKA_SSL_CA_FILE=.*missing.pem cannot be read/);
  assert.throws(() => kafkaSecurityOptions(coreConfig.fromEnv({ KAFKA_SSL: '1', KAFKA_SSL_CERT_FILE: join(dir, 'ca.pem') }), {}), /KAFKA_SSL_KEY_FILE/);
  assert.throws(() => kafkaSecurityOptions(coreConfig.fromEnv({ KAFKA_SASL_MECHANISM: 'oauthbearer' }), {}), /KAFKA_SASL_OAUTHBEARER_TOKEN/);
  assert.throws(() => coreConfig.fromEnv({ KAFKA_SASL_MECHANISM: 'gssapi' }), /KAFKA_SASL_MECHANISM.*one of none, plain/);
  assert.throws(() => createEs(coreConfig.fromEnv({ ELASTICSEARCH_URL: 'https://127.0.0.1:9', ELASTICSEARCH_CA_FILE: join(dir, 'nope.pem') })), /ELASTICSEARCH_CA_FILE/);
});

test('OAUTHBEARER re-reads a token file at every authentication', async () => {
  const file = join(dir, 'token');
  writeFileSync(file, 'first.jwt\n');
  const o = kafkaSecurityOptions(coreConfig.fromEnv({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: file }), { KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: file });
  const provider = (o.sasl as Extract<SASLOptions, { mechanism: 'oauthbearer' }>).oauthBearerProvider;
  assert.deepEqual(await provider(), { value: 'first.jwt' });
  writeFileSync(file, 'rotated.jwt\n');
  assert.deepEqual(await provider(), { value: 'rotated.jwt' });
});

test('an unreachable Elasticsearch is not a configuration error (the service waits for it)', async () => {
  const core = coreConfig.fromEnv({ ELASTICSEARCH_URL: 'http://127.0.0.1:9' });
  const es = createEs(core);
  const r = await checkEs(es, core);
  assert.match(r?.message ?? '', /not reachable/);
  await es.close();
});

test('ELASTICSEARCH_API_KEY is sent as Authorization: ApiKey and wins over basic auth', async () => {
  const { createServer } = await import('node:http');
  const seen: (string | undefined)[] = [];
  const srv = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
    res.end(JSON.stringify({ cluster_name: 'fake', status: 'green' }));
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const key = Buffer.from(['id1', ':', 'secret', 'part'].join('')).toString('base64');
  const core = coreConfig.fromEnv({ ELASTICSEARCH_URL: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, ELASTICSEARCH_API_KEY: key, ELASTICSEARCH_USERNAME: 'u', ELASTICSEARCH_PASSWORD: pw });
  const es = createEs(core);
  try {
    assert.equal(await checkEs(es, core), undefined);
    assert.deepEqual(seen, [`ApiKey ${key}`]);
  } finally {
    await es.close();
    await new Promise<void>((r) => srv.close(() => r()));
  }
});
