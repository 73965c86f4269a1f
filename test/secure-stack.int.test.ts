import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { alertEncoder, toAvro } from '../services/common/alert.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ConfigError } from '../services/common/errors.js';
import { checkEs, createEs } from '../services/common/es.js';
import { createKafka, ensureTopics, projectTopics } from '../services/common/kafka.js';
import { createLogger } from '../services/common/logger.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { repoRoot } from '../services/common/paths.js';
import { coreConfig, type CoreConfig } from '../services/common/settings.js';
import { loadAlertConfig } from '../services/alert/config.js';
import { RULE_FIXTURES } from '../services/alert/fixtures.js';
import { parseRouting } from '../services/alert/routing.js';
import { buildSinks, startAlertService } from '../services/alert/service.js';
import { intakeConfig } from '../services/intake/config.js';
import { startIntake } from '../services/intake/service.js';
import { FakeSlack } from './fake-slack.js';
import { uniqueName, waitFor } from './helpers.js';
import { TestStack } from './pipeline-harness.js';

/**
 * The secure local stack (deploy/local/stack.sh up --secure: its own dir and ports, beside the
 * plain one): Kafka SASL_SSL and Elasticsearch with x-pack security and TLS. This file's process
 * takes the stack's client settings as its environment, as an operator's service would, so every
 * client here (TestStack's, the pipeline's, the intake's, the alert service's) is a secured one.
 */
const script = join(repoRoot(), 'deploy/local/stack.sh');
let sec: Record<string, string> = {};
// basic auth unless a test asks for the API key (with both set, the client sends the key)
const secureCore = (over: Partial<Record<keyof CoreConfig, unknown>> = {}) => coreConfig.fromEnv({ ...sec, ELASTICSEARCH_API_KEY: '', LOG_LEVEL: 'silent' }, { httpPort: 0, ...over });
const timed = async (fn: () => Promise<unknown>) => {
  const t0 = Date.now();
  const err = await fn().then(() => undefined, (e: unknown) => e);
  return { err: err as Error | undefined, ms: Date.now() - t0 };
};

let startedHere = false;
before(() => {
  try {
    execFileSync(script, ['status', '--secure'], { stdio: 'ignore' });
  } catch {
    startedHere = true;
  }
  execFileSync(script, ['up', '--secure'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 420_000 });
  const text = execFileSync(script, ['env', '--secure'], { encoding: 'utf8' });
  sec = Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  for (const [k, v] of Object.entries(sec)) if (!k.startsWith('SECURE_') && k !== 'ELASTICSEARCH_API_KEY') process.env[k] = v;
});

// in CI the instance this file started goes away with it; a developer's stays up for the next run
after(() => {
  if (startedHere && process.env.CI) execFileSync(script, ['down', '--secure'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 180_000 });
});

describe('Kafka with SASL_SSL', () => {
  const connects = async (over: Partial<Record<keyof CoreConfig, unknown>>) => {
    const admin = createKafka(secureCore(over), uniqueName('sec')).admin();
    await admin.connect();
    try {
      return await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  };

  it('SCRAM-SHA-512, SCRAM-SHA-256, PLAIN and OAUTHBEARER each authenticate over TLS with the generated CA', async () => {
    assert.ok(Array.isArray(await connects({})), 'scram-sha-512 (the stack default)');
    await connects({ kafkaSaslMechanism: 'scram-sha-256', kafkaSaslUsername: sec.SECURE_KAFKA_SCRAM256_USERNAME, kafkaSaslPassword: sec.SECURE_KAFKA_SCRAM256_PASSWORD });
    await connects({ kafkaSaslMechanism: 'plain', kafkaSaslUsername: sec.SECURE_KAFKA_PLAIN_USERNAME, kafkaSaslPassword: sec.SECURE_KAFKA_PLAIN_PASSWORD });
    // the broker's unsecured validator takes an unsigned JWT: enough to prove the client's OAUTHBEARER exchange
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    await connects({ kafkaSaslMechanism: 'oauthbearer', kafkaSaslOauthbearerToken: `${b64({ alg: 'none' })}.${b64({ sub: 'admin', iat: now, exp: now + 600 })}.` });
  });

  it('a wrong password fails fast, naming KAFKA_SASL_PASSWORD', async () => {
    const { err, ms } = await timed(() => connects({ kafkaSaslPassword: `${sec.KAFKA_SASL_PASSWORD}-wrong` }));
    assert.ok(err instanceof ConfigError, `got ${err?.name}: ${err?.message}`);
    assert.match(err.message, /KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/);
    assert.ok(ms < 15_000, `took ${ms} ms`);
  });

  it('an untrusted broker certificate fails fast, naming KAFKA_SSL_CA_FILE', async () => {
    const { err, ms } = await timed(() => connects({ kafkaSslCaFile: sec.SECURE_UNTRUSTED_CA_FILE }));
    assert.ok(err instanceof ConfigError, `got ${err?.name}: ${err?.message}`);
    assert.match(err.message, /KAFKA_SSL_CA_FILE/);
    assert.ok(ms < 10_000, `took ${ms} ms`);
  });
});

describe('Elasticsearch with x-pack security and TLS', () => {
  const check = async (over: Partial<Record<keyof CoreConfig, unknown>>) => {
    const core = secureCore(over);
    const es = createEs(core);
    try {
      return await checkEs(es, core);
    } finally {
      await es.close();
    }
  };

  it('basic auth over TLS with the CA file is accepted', async () => {
    assert.equal(await check({}), undefined);
  });

  it('a wrong password, an untrusted certificate or plain http fail with the setting to fix', async () => {
    await assert.rejects(check({ elasticsearchPassword: 'not-the-password' }), (e: Error) => e instanceof ConfigError && /ELASTICSEARCH_USERNAME \/ ELASTICSEARCH_PASSWORD/.test(e.message));
    await assert.rejects(check({ elasticsearchCaFile: sec.SECURE_UNTRUSTED_CA_FILE }), (e: Error) => e instanceof ConfigError && /ELASTICSEARCH_CA_FILE/.test(e.message));
    // plain http to a TLS port is answered by a closed connection, like a restart: reported (with the hint), not fatal
    const plain = await check({ elasticsearchUrl: sec.ELASTICSEARCH_URL!.replace('https:', 'http:') });
    assert.match(plain?.message ?? '', /use an https:\/\/ ELASTICSEARCH_URL/);
  });

  it('API keys: a key the cluster does not know is refused naming ELASTICSEARCH_API_KEY; the stack\'s own key works without a password', async () => {
    const bogus = Buffer.from(`bogusid:${'x'.repeat(22)}`).toString('base64');
    await assert.rejects(check({ elasticsearchApiKey: bogus }), (e: Error) => e instanceof ConfigError && /ELASTICSEARCH_API_KEY/.test(e.message));
    assert.ok(sec.ELASTICSEARCH_API_KEY, 'stack.sh up --secure made no API key: a secure node started before deploy/local/es-analysis existed needs one restart (stack.sh down --secure; up --secure)');
    assert.equal(await check({ elasticsearchApiKey: sec.ELASTICSEARCH_API_KEY, elasticsearchUsername: '', elasticsearchPassword: '' }), undefined);
    // an invalidated key is refused like an unknown one, naming the same setting
    const es = createEs(secureCore());
    try {
      const made = await es.security.createApiKey({ name: uniqueName('k'), expiration: '10m' });
      assert.equal(await check({ elasticsearchApiKey: made.encoded, elasticsearchUsername: '', elasticsearchPassword: '' }), undefined);
      await es.security.invalidateApiKey({ ids: [made.id] });
      await assert.rejects(check({ elasticsearchApiKey: made.encoded, elasticsearchUsername: '', elasticsearchPassword: '' }), (e: Error) => e instanceof ConfigError && /ELASTICSEARCH_API_KEY/.test(e.message));
    } finally {
      await es.close();
    }
  });

  it('native users and roles: a user made through the security API authenticates; its role limits what it may read', async () => {
    const es = createEs(secureCore());
    const user = uniqueName('reader').replace(/[^a-z0-9_]/gi, '_');
    const password = ['pw', Date.now().toString(36), Math.random().toString(36).slice(2)].join('-');
    const index = uniqueName('secure-native').toLowerCase();
    try {
      const role = (cluster: string[]) => es.security.putRole({ name: `${user}_role`, cluster, indices: [{ names: [`${index}-allowed`], privileges: ['read'] }] });
      await role([]);
      await es.security.putUser({ username: user, password, roles: [`${user}_role`], email: `${user}@example.test` });
      await es.index({ index: `${index}-allowed`, document: { a: 1 }, refresh: true });
      await es.index({ index: `${index}-denied`, document: { a: 2 }, refresh: true });
      // the start-up check needs the monitor privilege, and says so when the role lacks it
      await assert.rejects(check({ elasticsearchUsername: user, elasticsearchPassword: password }), (e: Error) => e instanceof ConfigError && /403.*lacks the privileges/.test(e.message));
      await role(['monitor']);
      assert.equal(await check({ elasticsearchUsername: user, elasticsearchPassword: password }), undefined);
      const asUser = createEs(secureCore({ elasticsearchUsername: user, elasticsearchPassword: password }));
      try {
        const who = await asUser.security.authenticate();
        assert.equal(who.username, user);
        assert.equal(who.authentication_realm.type, 'native');
        assert.equal((await asUser.count({ index: `${index}-allowed` })).count, 1);
        await assert.rejects(asUser.count({ index: `${index}-denied` }), /security_exception|unauthorized/);
      } finally {
        await asUser.close();
      }
    } finally {
      await es.security.deleteUser({ username: user }).catch(() => undefined);
      await es.security.deleteRole({ name: `${user}_role` }).catch(() => undefined);
      await es.indices.delete({ index: `${index}-*` }).catch(() => undefined);
      await es.close();
    }
  });
});

// once with the stack's basic-auth user; once with only an API key (no username or password at all) that has
// exactly the privileges docs/operators/security.md gives llm-audit's key, on this stack's own index prefix
for (const auth of ['basic auth', 'an API key'] as const) describe(`the pipeline, the intake and the alert service on the secure stack (Elasticsearch ${auth})`, () => {
  const prefix = `t-${uniqueName('secure')}`;
  let apiKey = '';
  const authOver = () => (auth === 'an API key' ? { elasticsearchApiKey: apiKey, elasticsearchUsername: '', elasticsearchPassword: '' } : {});
  let stack: TestStack;
  let slack: FakeSlack;
  const cleanups: (() => Promise<unknown>)[] = [];
  const saved = { u: process.env.ELASTICSEARCH_USERNAME, p: process.env.ELASTICSEARCH_PASSWORD };
  before(async () => {
    if (auth === 'an API key') {
      const admin = createEs(secureCore());
      try {
        const made = await admin.security.createApiKey({
          name: uniqueName('llm-audit-test'), expiration: '1h',
          role_descriptors: { 'llm-audit': { cluster: ['monitor', 'manage_index_templates', 'manage_ilm'], indices: [{ names: [`${prefix}-*`, `.${prefix}-*`], privileges: ['all'] }] } },
        });
        apiKey = made.encoded;
      } finally {
        await admin.close();
      }
      delete process.env.ELASTICSEARCH_USERNAME;
      delete process.env.ELASTICSEARCH_PASSWORD;
    }
    stack = new TestStack('secure', { ...secureCore(authOver()), usageTopic: undefined, dlqTopic: undefined, alertsTopic: undefined, indexPrefix: prefix, httpPort: 0 } as never);
    slack = new FakeSlack('xoxb-secure-test');
    await slack.start();
  });
  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await slack?.close();
    await stack?.close();
    if (saved.u !== undefined) process.env.ELASTICSEARCH_USERNAME = saved.u;
    if (saved.p !== undefined) process.env.ELASTICSEARCH_PASSWORD = saved.p;
  });

  it('an OTLP span through the intake is indexed by the pipeline; an alert reaches Slack; all over SASL_SSL and TLS', { timeout: 180_000 }, async () => {
    assert.equal(stack.core.kafkaSsl, true);
    assert.ok(stack.core.elasticsearchUrl.startsWith('https://'));
    if (auth === 'an API key') {
      assert.equal(stack.core.elasticsearchApiKey, apiKey);
      assert.ok(apiKey);
      assert.equal(stack.core.elasticsearchUsername || stack.core.elasticsearchPassword || '', '');
    }
    const admin = stack.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, projectTopics(stack.core)).finally(() => admin.disconnect());
    await stack.startPipeline({ config: { stages: ['tokenize'] } });
    const token = ['secure', '-intake-', 'token-', Date.now().toString(36)].join('');
    const intake = await startIntake({ core: stack.core, config: intakeConfig.parse({ port: 0, senderTokens: `svc:${token}` }), metrics: new MetricsRegistry(), kafka: stack.kafka });
    cleanups.push(() => intake.stop());
    const now = BigInt(Date.now()) * 1_000_000n;
    const res = await fetch(`http://127.0.0.1:${intake.port}/v1/traces`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'secure-svc' } }] }, scopeSpans: [{ spans: [{
        traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'chat', startTimeUnixNano: now.toString(), endTimeUnixNano: (now + 5_000_000n).toString(),
        attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }, { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } }, { key: 'gen_ai.usage.input_tokens', value: { intValue: 5 } },
          { key: 'gen_ai.input.messages', value: { stringValue: 'write to ops.lead@example.net' } }],
      }] }] }] }),
    });
    assert.equal(res.status, 200);
    await waitFor(async () => (await stack.countDocs('events')) >= 1, { timeoutMs: 60_000, what: 'the span indexed in the secure Elasticsearch' });
    const hit = (await stack.es.search({ index: `${stack.core.indexPrefix}-events-*` })).hits.hits[0]!;
    assert.equal((hit._source as { llm_audit: { gateway: { id: string } } }).llm_audit.gateway.id, 'secure-svc');
    assert.ok(!JSON.stringify(hit._source).includes('ops.lead@example.net'));

    // the alert service consumes the alerts topic and keeps its deliveries in Elasticsearch
    const config = loadAlertConfig({}, {
      slackBotToken: 'xoxb-secure-test', slackSigningSecret: `${'a'.repeat(16)}b0c1d2e3f4a5b6c7`, slackApiUrl: slack.url, groupId: uniqueName('alert'),
      retryInitialMs: 50, retryMaxMs: 500, interactionPort: 0, interactionHost: '127.0.0.1', kibanaUrl: 'https://kibana.example',
    });
    const routing = parseRouting('', config);
    const es = createEs(stack.core);
    cleanups.push(() => es.close());
    const svc = await startAlertService({ core: stack.core, config, routing, sinks: buildSinks(config, routing, {}), kafka: stack.kafka, es, logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry() });
    cleanups.push(() => svc.stop());
    const producer = stack.kafka.producer();
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const alert = { ...RULE_FIXTURES.token_spike!, id: uniqueName('alert') };
    await producer.send({ topic: stack.core.alertsTopic, messages: [{ key: alert.api_key_id, value: await alertEncoder(new LocalSchemaSource()).encode(toAvro(alert)) }] });
    await waitFor(async () => slack.messages.some((m) => m.metadata?.event_payload.alert_id === alert.id) || undefined, { timeoutMs: 60_000, what: 'the alert posted to Slack' });
  });
});
