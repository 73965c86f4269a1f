import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { FramedEncoder, RegistrySchemaSource, schemaText, unframe } from '../services/common/avro.js';
import { ConfigError } from '../services/common/errors.js';
import { MetricsRegistry } from '../services/common/metrics.js';
import { repoRoot, schemasDir } from '../services/common/paths.js';
import type { UsageEvent } from '../services/common/types.js';
import { USAGE_SUBJECT, usageDecoder, usageType } from '../services/common/usage.js';
import { intakeConfig } from '../services/intake/config.js';
import { startIntake } from '../services/intake/service.js';
import { createUsageEmitter } from '../services/sdk/emitter.js';
import { uniqueName, waitFor } from './helpers.js';
import { TestStack } from './pipeline-harness.js';

/**
 * A real Confluent-compatible registry process (Apicurio Registry, deploy/local/registry.sh: built
 * from Maven Central on first use, port 18081 unless REGISTRY_PORT says otherwise), with every
 * registry path of the project on it: the SDK emitter and the intake register llm.usage.v1-value,
 * the pipeline looks the ids up, a v2 writer is read by the v1 pipeline, an incompatible schema is
 * refused. A second, independent client (@kafkajs/confluent-schema-registry) reads what we frame
 * and frames what we read. The registry keeps its state in memory for as long as it runs, so every
 * assertion holds on a fresh registry and on one earlier runs have used.
 */
const script = join(repoRoot(), 'deploy/local/registry.sh');
let url = '';
let startedHere = false;
const http = async <T = any>(path: string, init?: RequestInit) => {
  const res = await fetch(`${url}${path}`, { ...init, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' } });
  return { status: res.status, body: (await res.json()) as T };
};

before(() => {
  try {
    execFileSync(script, ['status'], { stdio: 'ignore' });
  } catch {
    startedHere = true;
  }
  // the first run builds it with Maven (9 minutes on an empty Maven repository here); later ones start it in about 20 s
  execFileSync(script, ['up'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 1_200_000 });
  url = execFileSync(script, ['env'], { encoding: 'utf8' }).trim().replace(/^SCHEMA_REGISTRY_URL=/, '');
});

after(() => {
  if (startedHere && process.env.CI) execFileSync(script, ['down'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
});

const event = (i: number, over: Partial<UsageEvent> = {}): UsageEvent => ({
  event_id: randomUUID(), occurred_at: Date.now() + i, gateway_id: 'gw-registry', environment: 'staging', provider: 'openai', operation: 'chat.completions',
  model: 'gpt-4o-mini', model_version: null, api_key_id: `key_${i % 3}`, principal_id: null, source_ip: null, user_agent: null,
  status_code: 200, error_code: null, input_tokens: 10 + i, output_tokens: 1, latency_ms: 10, request_id: `req_${i}`, prompt: null, completion: null,
  ...over,
});

const usageAvsc = () => JSON.parse(readFileSync(join(schemasDir(), 'usage-event.v1.avsc'), 'utf8')) as { fields: { name: string; type: unknown }[] };
/** The usage schema plus one optional field: a backward-compatible v2 (v1 readers skip the field). */
const usageV2 = () => {
  const s = usageAvsc();
  return avro.Type.forSchema({ ...s, fields: [...s.fields, { name: 'route', type: ['null', 'string'], default: null }] } as avro.Schema);
};

describe('a real schema registry (Apicurio, Confluent API)', () => {
  let stack: TestStack;
  before(async () => {
    stack = new TestStack('registry', { schemaRegistryUrl: url });
    await stack.produceRaw([]); // creates the stack's topics
    await stack.startPipeline({ config: { stages: ['tokenize'] } });
  });
  after(async () => stack?.close());

  it('the SDK emitter and the intake register llm.usage.v1-value; the pipeline looks the id up and indexes their events', { timeout: 180_000 }, async () => {
    const emitter = await createUsageEmitter({ core: stack.core, topic: stack.core.usageTopic, config: { batchSize: 10, lingerMs: 5 }, metrics: new MetricsRegistry() });
    for (let i = 0; i < 3; i++) await emitter.emit(event(i));
    await emitter.close();
    assert.equal(emitter.counters.sent, 3);

    const token = ['registry', '-intake-', 'token-', Date.now().toString(36)].join('');
    const intake = await startIntake({ core: stack.core, config: intakeConfig.parse({ port: 0, senderTokens: `svc:${token}` }), metrics: new MetricsRegistry(), kafka: stack.kafka });
    try {
      const now = BigInt(Date.now()) * 1_000_000n;
      const res = await fetch(`http://127.0.0.1:${intake.port}/v1/traces`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'registry-svc' } }] }, scopeSpans: [{ spans: [{
          traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'chat', startTimeUnixNano: now.toString(), endTimeUnixNano: (now + 5_000_000n).toString(),
          attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }, { key: 'gen_ai.provider.name', value: { stringValue: 'openai' } }, { key: 'gen_ai.usage.input_tokens', value: { intValue: 5 } }],
        }] }] }] }),
      });
      assert.equal(res.status, 200);
    } finally {
      await intake.stop();
    }

    // every message on the topic carries the id the registry gave the usage schema, and that id is its schema
    const versions = await http(`/subjects/${USAGE_SUBJECT}/versions`);
    assert.equal(versions.status, 200);
    const byVersion = await Promise.all((versions.body as number[]).map(async (v) => (await http<{ id: number; schema: string }>(`/subjects/${USAGE_SUBJECT}/versions/${v}`)).body));
    const v1 = byVersion.find((b) => avro.Type.forSchema(JSON.parse(b.schema) as avro.Schema).fingerprint('sha256').equals(usageType().fingerprint('sha256')));
    assert.ok(v1, `the usage schema is one of the registered versions of ${USAGE_SUBJECT}`);
    const messages = await stack.readTopic(stack.core.usageTopic, 4);
    assert.equal(messages.length, 4);
    for (const m of messages) assert.equal(unframe(m.value).schemaId, v1.id);
    assert.equal((await http<{ schema: string }>(`/schemas/ids/${v1.id}`)).body.schema, v1.schema);
    assert.match(v1.schema, /"logicalType":"timestamp-millis"/, 'the registered schema is the .avsc as written');

    await waitFor(async () => (await stack.countDocs('events')) >= 4 || undefined, { timeoutMs: 60_000, what: 'the 4 events indexed' });
    assert.equal(await stack.countDocs('events', { term: { 'llm_audit.gateway.id': 'registry-svc' } }), 1);
  });

  it('evolution: a v2 writer registers under BACKWARD compatibility and the v1 pipeline reads it; an incompatible schema is refused', { timeout: 120_000 }, async () => {
    assert.equal((await http(`/config/${USAGE_SUBJECT}`, { method: 'PUT', body: JSON.stringify({ compatibility: 'BACKWARD' }) })).status, 200);
    const source = new RegistrySchemaSource(url);
    const v1Id = await source.idFor(USAGE_SUBJECT, usageType());
    const v2 = new FramedEncoder<UsageEvent & { route: string | null }>(source, USAGE_SUBJECT, usageV2());
    const v2Id = await v2.schemaId();
    assert.notEqual(v2Id, v1Id, 'v2 is a new schema id');
    const marker = uniqueName('v2-req');
    await stack.produceRaw([{ key: 'key_v2', value: await v2.encode({ ...event(7), request_id: marker, route: 'eu-west' }) }]);
    await waitFor(async () => (await stack.countDocs('events', { term: { 'llm_audit.request_id': marker } })) === 1 || undefined, { timeoutMs: 60_000, what: 'the v2 event indexed by the v1 pipeline' });

    // a fresh reader that has never seen v2 fetches it by id and resolves it to v1
    const decoded = await usageDecoder(new RegistrySchemaSource(url)).decode(await v2.encode({ ...event(8), route: null }));
    assert.equal(decoded.request_id, 'req_8');
    assert.ok(!('route' in decoded));

    const before = ((await http<number[]>(`/subjects/${USAGE_SUBJECT}/versions`)).body).length;
    const s = usageAvsc();
    const incompatible = avro.Type.forSchema({ ...s, fields: s.fields.map((f) => (f.name === 'input_tokens' ? { ...f, type: 'string' } : f)) } as avro.Schema);
    await assert.rejects(new RegistrySchemaSource(url).idFor(USAGE_SUBJECT, incompatible), (e: Error) => e instanceof ConfigError && !e.retriable && /refused subject llm\.usage\.v1-value: 409/.test(e.message));
    assert.equal(((await http<number[]>(`/subjects/${USAGE_SUBJECT}/versions`)).body).length, before, 'nothing registered');
    const check = await http(`/compatibility/subjects/${USAGE_SUBJECT}/versions/latest`, { method: 'POST', body: JSON.stringify({ schema: JSON.stringify(incompatible.schema()) }) });
    assert.equal(check.body.is_compatible, false);
  });

  it('an id the registry does not know is a counted dead letter, not a stalled partition', { timeout: 90_000 }, async () => {
    const unknownId = 900_000 + Math.floor(Math.random() * 90_000);
    assert.equal((await http(`/schemas/ids/${unknownId}`)).status, 404);
    const good = await new FramedEncoder<UsageEvent>(new RegistrySchemaSource(url), USAGE_SUBJECT, usageType()).encode({ ...event(9), request_id: uniqueName('after-unknown') });
    const bad = Buffer.from(good);
    bad.writeUInt32BE(unknownId, 1);
    await stack.produceRaw([{ key: 'key_x', value: bad }, { key: 'key_x', value: good }]);
    const dlq = await stack.readTopic(stack.core.dlqTopic, 1);
    assert.equal(dlq.length, 1);
    assert.equal(dlq[0]!.headers['dlq.reason'], 'unknown_schema');
    assert.match(dlq[0]!.headers['dlq.error'] ?? '', new RegExp(`schema id ${unknownId} is unknown to the schema registry`));
    await waitFor(async () => (await stack.countDocs('events', { prefix: { 'llm_audit.request_id': 'after-unknown' } })) === 1 || undefined, { timeoutMs: 60_000, what: 'the message after it indexed' });
  });
});

describe('an independent client (@kafkajs/confluent-schema-registry) on the same registry', () => {
  it('reads what our encoder frames, and our decoder reads what it frames', async () => {
    const theirs = new SchemaRegistry({ host: url });
    const { id } = await theirs.register({ type: SchemaType.AVRO, schema: schemaText(usageType()) }, { subject: USAGE_SUBJECT });
    const ours = new FramedEncoder<UsageEvent>(new RegistrySchemaSource(url), USAGE_SUBJECT, usageType());
    assert.equal(await ours.schemaId(), id, 'both clients get the same id for the same schema');

    const ev = event(11, { prompt: 'hello', input_tokens: 1234 });
    const back = (await theirs.decode(await ours.encode(ev))) as UsageEvent;
    assert.equal(back.event_id, ev.event_id);
    assert.equal(back.input_tokens, 1234);
    assert.equal(back.prompt, 'hello');

    const framed = await theirs.encode(id, event(12, { request_id: 'from-theirs' }));
    const mine = await usageDecoder(new RegistrySchemaSource(url)).decode(framed);
    assert.equal(mine.request_id, 'from-theirs');
  });
});
