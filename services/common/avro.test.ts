import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import avro from 'avsc';
import { FramedDecoder, FramedEncoder, LocalSchemaSource, RegistrySchemaSource, frame, unframe, type SchemaSource } from './avro.js';
import { InvalidInputError, isRetriable } from './errors.js';
import { schemasDir } from './paths.js';
import { usageType } from './usage.js';
import type { UsageEvent } from './types.js';

const v1 = usageType();
// v2 adds a field with a default: what a producer upgrade would do
const v2 = avro.Type.forSchema({
  ...(v1.schema() as avro.schema.RecordType),
  fields: [...(v1.schema() as avro.schema.RecordType).fields, { name: 'cached_input_tokens', type: 'int', default: 0 }],
} as avro.Schema);

class MemorySource implements SchemaSource {
  constructor(private readonly byId: Map<number, avro.Type>) {}
  async idFor(_s: string, t: avro.Type) {
    for (const [id, x] of this.byId) if (x.fingerprint('sha256').equals(t.fingerprint('sha256'))) return id;
    throw new Error('not registered');
  }
  async typeFor(id: number) {
    const t = this.byId.get(id);
    if (!t) throw new InvalidInputError('unknown_schema', `schema id ${id} unknown`);
    return t;
  }
}

const event: UsageEvent = {
  event_id: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b', occurred_at: 1795651200308, gateway_id: 'gw-us-1', environment: 'prod',
  provider: 'openai', operation: 'chat.completions', model: 'gpt-4o', model_version: null, api_key_id: 'key_1',
  principal_id: 'user-1', source_ip: '81.2.69.160', user_agent: 'openai-node/4.71.1', status_code: 200, error_code: null,
  input_tokens: 10, output_tokens: 5, latency_ms: 100, request_id: 'req_1', prompt: null, completion: null,
};

describe('Confluent framing', () => {
  it('round-trips the header and payload', () => {
    const f = frame(258, Buffer.from([1, 2, 3]));
    assert.deepEqual([...f.subarray(0, 5)], [0, 0, 0, 1, 2]);
    const { schemaId, payload } = unframe(f);
    assert.equal(schemaId, 258);
    assert.deepEqual([...payload], [1, 2, 3]);
  });
  it('the encoder frames small and large values alike, and each result is its own copy', async () => {
    const enc = new FramedEncoder<UsageEvent>(new MemorySource(new Map([[9, v1]])), 'llm.usage.v1-value', v1);
    const dec = new FramedDecoder<UsageEvent>(new MemorySource(new Map([[9, v1]])), v1);
    const small = await enc.encode(event);
    const big = { ...event, prompt: 'p'.repeat(70_000), completion: 'c'.repeat(30_000) }; // past the 16 KiB scratch buffer
    const large = await enc.encode(big);
    const again = await enc.encode(event);
    assert.equal(unframe(large).schemaId, 9);
    assert.deepEqual({ ...(await dec.decode(large)) }, big);
    assert.deepEqual({ ...(await dec.decode(small)) }, event, 'an earlier result is not overwritten by later encodes');
    assert.deepEqual(again, small);
    assert.deepEqual(small, frame(9, v1.toBuffer(event)), 'the same bytes as toBuffer plus the header');
  });
  for (const [name, buf, reason] of [
    ['null', null, 'bad_framing'],
    ['short', Buffer.from([0, 0, 1]), 'bad_framing'],
    ['wrong magic', Buffer.from([1, 0, 0, 0, 1, 5]), 'bad_framing'],
  ] as const) {
    it(`rejects ${name} messages as ${reason}`, () => {
      assert.throws(() => unframe(buf as Buffer | null), (e: unknown) => e instanceof InvalidInputError && e.reason === reason);
    });
  }
});

describe('schema evolution', () => {
  const source = new MemorySource(new Map([[1, v1], [2, v2]]));

  it('a v2 reader reads v1 events, filling the new field from its default', async () => {
    const bytes = await new FramedEncoder<UsageEvent>(source, 's', v1).encode(event);
    const got = await new FramedDecoder<UsageEvent & { cached_input_tokens: number }>(source, v2).decode(bytes);
    assert.equal(got.cached_input_tokens, 0);
    assert.equal(got.event_id, event.event_id);
    assert.equal(got.input_tokens, 10);
  });

  it('a v1 reader reads v2 events, ignoring the field it does not know', async () => {
    const bytes = await new FramedEncoder(source, 's', v2).encode({ ...event, cached_input_tokens: 7 });
    const got = await new FramedDecoder<UsageEvent>(source, v1).decode(bytes);
    assert.equal((got as unknown as Record<string, unknown>).cached_input_tokens, undefined);
    assert.deepEqual({ ...got }, event);
  });

  it('an unknown schema id and a truncated payload are invalid input', async () => {
    const dec = new FramedDecoder<UsageEvent>(source, v1);
    const bytes = await new FramedEncoder<UsageEvent>(source, 's', v1).encode(event);
    await assert.rejects(dec.decode(frame(99, bytes.subarray(5))), (e: unknown) => e instanceof InvalidInputError && e.reason === 'unknown_schema');
    await assert.rejects(dec.decode(bytes.subarray(0, bytes.length - 4)), (e: unknown) => e instanceof InvalidInputError && e.reason === 'bad_payload');
  });

  it('decodeCached answers only once the writer schema is resolved, then like decode (errors included)', async () => {
    const dec = new FramedDecoder<UsageEvent>(source, v2);
    const bytes = await new FramedEncoder<UsageEvent>(source, 's', v1).encode(event);
    assert.equal(dec.decodeCached(bytes), undefined);
    const viaDecode = await dec.decode(bytes);
    assert.deepEqual(dec.decodeCached(bytes), viaDecode);
    assert.throws(() => dec.decodeCached(bytes.subarray(0, 3)), (e: unknown) => e instanceof InvalidInputError && e.reason === 'bad_framing');
    assert.throws(() => dec.decodeCached(Buffer.concat([Buffer.from([1]), bytes.subarray(1)])), (e: unknown) => e instanceof InvalidInputError && e.reason === 'bad_framing');
    assert.throws(() => dec.decodeCached(bytes.subarray(0, bytes.length - 4)), (e: unknown) => e instanceof InvalidInputError && e.reason === 'bad_payload');
    assert.equal(dec.decodeCached(frame(99, bytes.subarray(5))), undefined);
  });

  it('the encoder names the invalid field and sends nothing', async () => {
    const enc = new FramedEncoder<UsageEvent>(source, 's', v1);
    await assert.rejects(enc.encode({ ...event, status_code: 'ok' as unknown as number }), /status_code/);
  });

  it('the schemas/ folder registry gives the usage and alert schemas stable ids', async () => {
    const local = new LocalSchemaSource();
    assert.equal(await local.idFor('llm.usage.v1-value', v1), 1);
    assert.ok((await local.typeFor(1)).fingerprint('sha256').equals(v1.fingerprint('sha256')));
  });
});

describe('the compiled reader (messages written with the reader schema)', () => {
  // a seeded generator: events of every shape the schema allows, and bytes that are not events
  let seed = 99;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
  const strings = ['', 'gw-us-1', 'openai', 'chat.completions', 'Zoë ✓ \u2028', '😀 x', 'a'.repeat(63), 'b'.repeat(64), 'c'.repeat(65), 'd'.repeat(300), 'key_1', 'key_2', '10.0.0.1', '::1'];
  const randomEvent = (): UsageEvent => ({
    ...event,
    event_id: `6f1c2a3b-4d5e-4f60-8a7b-${String(rnd(1e12)).padStart(12, '0')}`,
    occurred_at: pick([0, 1795651200308, -1, 2 ** 52, -(2 ** 52), 9007199254740990]),
    environment: pick(['dev', 'staging', 'prod'] as const),
    gateway_id: pick(strings), provider: pick(strings), model: pick(strings), api_key_id: pick(strings),
    model_version: rnd(2) ? null : pick(strings), principal_id: rnd(2) ? null : pick(strings), source_ip: rnd(2) ? null : pick(strings),
    user_agent: rnd(2) ? null : pick(strings), error_code: rnd(2) ? null : pick(strings), request_id: rnd(2) ? null : pick(strings),
    prompt: rnd(3) ? null : pick(strings), completion: rnd(3) ? null : pick(strings),
    status_code: pick([0, 200, 429, -5, 2 ** 31 - 1, -(2 ** 31)]), input_tokens: rnd(1e6), output_tokens: pick([0, 1, 127, 128, 16383, 16384]), latency_ms: rnd(1e5),
  });
  const outcome = (d: FramedDecoder<UsageEvent>, buf: Buffer): string => {
    try {
      const v = d.decodeCached(buf);
      return `ok ${Object.getPrototypeOf(v).constructor.name} ${JSON.stringify(v)}`;
    } catch (err) {
      return `${(err as InvalidInputError).reason}: ${(err as Error).message}`;
    }
  };

  it('decodes what avsc decodes and refuses what avsc refuses, with the same message', async () => {
    const source = new MemorySource(new Map([[1, v1]]));
    const compiled = new FramedDecoder<UsageEvent>(source, v1);
    const plain = new FramedDecoder<UsageEvent>(source, v1, { compiled: false });
    const enc = new FramedEncoder<UsageEvent>(source, 'u', v1);
    await compiled.decode(await enc.encode(event));
    await plain.decode(await enc.encode(event));
    const kinds = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const good = await enc.encode(randomEvent());
      const variants = [good, good.subarray(0, 5 + rnd(good.length - 5)), Buffer.concat([good, Buffer.from([rnd(256)])])];
      const flipped = Buffer.from(good);
      for (let k = 0; k < 1 + rnd(3); k++) flipped[5 + rnd(good.length - 5)] = rnd(256);
      variants.push(flipped);
      for (const buf of variants) {
        const want = outcome(plain, buf);
        assert.equal(outcome(compiled, buf), want);
        const kind = want.startsWith('ok') ? 'ok' : want.replace(/[0-9-]+/g, 'N');
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      }
    }
    // a length varint too long to be a number (NaN): avsc says truncated
    const frame = Buffer.from([0, 0, 0, 0, 1]);
    for (const body of [Buffer.concat([Buffer.alloc(150, 0x80), Buffer.from([0])]), Buffer.alloc(150, 0x80), Buffer.concat([Buffer.alloc(11, 0xff), Buffer.from([1])])]) {
      const buf = Buffer.concat([frame, body]);
      assert.equal(outcome(compiled, buf), outcome(plain, buf));
    }
    // the comparison covered decodes and each way of failing
    const seen = [...kinds.keys()].join('\n');
    for (const k of ['ok', 'truncated', 'trailing bytes', 'invalid union index', 'enum index']) assert.ok(seen.includes(k), `${k} in:\n${seen}`);
  });

  it('values that repeat, collide in the string table, or never repeat decode exactly', async () => {
    const source = new MemorySource(new Map([[1, v1]]));
    const d = new FramedDecoder<UsageEvent>(source, v1);
    const enc = new FramedEncoder<UsageEvent>(source, 'u', v1);
    await d.decode(await enc.encode(event));
    const out: UsageEvent[] = [];
    // 3,000 gateways cycle through a table of 1,024 slots; event ids never repeat
    for (let i = 0; i < 10_000; i++) out.push(d.decodeCached(await enc.encode({ ...event, gateway_id: `gw-${i % 3000}`, event_id: `6f1c2a3b-4d5e-4f60-8a7b-${String(i).padStart(12, '0')}` }))!);
    assert.equal(new Set(out.map((e) => e.event_id)).size, 10_000);
    out.forEach((e, i) => assert.equal(e.gateway_id, `gw-${i % 3000}`));
    assert.ok(out.every((e) => e.api_key_id === 'key_1' && e.user_agent === 'openai-node/4.71.1'));
  });
});

describe('Confluent Schema Registry source', () => {
  it('registers a subject and resolves ids over the REST API', async () => {
    const registered: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/vnd.schemaregistry.v1+json');
        if (req.method === 'POST' && req.url === '/subjects/llm.usage.v1-value/versions') {
          registered.push(JSON.parse(body).schema as string);
          res.end(JSON.stringify({ id: 41 }));
        } else if (req.url === '/schemas/ids/41') {
          res.end(JSON.stringify({ schema: registered[0] }));
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const writer = new RegistrySchemaSource(url);
      const bytes = await new FramedEncoder<UsageEvent>(writer, 'llm.usage.v1-value', v1).encode(event);
      assert.equal(bytes.readUInt32BE(1), 41);
      // avsc's schema() would drop logical types and defaults, which a registry's compatibility check and
      // other languages' readers need: the registry gets the .avsc as written (found on a real registry)
      assert.deepEqual(JSON.parse(registered[0]!), JSON.parse(readFileSync(`${schemasDir()}/usage-event.v1.avsc`, 'utf8')));
      const reader = new RegistrySchemaSource(url);
      assert.deepEqual({ ...(await new FramedDecoder<UsageEvent>(reader, v1).decode(bytes)) }, event);
      await assert.rejects(reader.typeFor(7), (e: unknown) => e instanceof InvalidInputError && e.reason === 'unknown_schema');
    } finally {
      server.close();
    }
  });
});

describe('schema registry answers that can never become a schema', () => {
  const registry = (answer: () => Response) => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return answer();
    }) as typeof fetch;
    let now = 1_000_000;
    const src = new RegistrySchemaSource('http://registry.test', fetchImpl, 60_000, () => now);
    return { src, calls: () => calls, later: (ms: number) => void (now += ms) };
  };
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const deep = (n: number) => `${'{"type":"array","items":'.repeat(n)}"int"${'}'.repeat(n)}`;
  const cases: [string, () => Response][] = [
    ['invalid JSON', () => new Response('{"schema": ', { status: 200 })],
    ['an answer without a schema', () => json({ id: 7 })],
    ['invalid Avro', () => json({ schema: '{"type":"record","name":"x","fields":[{"name":"a","type":"nope"}]}' })],
    ['a schema nested too deep', () => json({ schema: deep(5_000) })],
    ['HTTP 400', () => json({ error_code: 400 }, 400)],
    ['HTTP 401', () => json({ error_code: 401 }, 401)],
    ['HTTP 403', () => json({ error_code: 403 }, 403)],
    ['HTTP 404', () => json({ error_code: 40403 }, 404)],
  ];
  for (const [name, answer] of cases) {
    it(`${name}: unknown_schema (a dead letter, not a retry), remembered for the id`, async () => {
      const r = registry(answer);
      for (let i = 0; i < 3; i++) {
        await assert.rejects(r.src.typeFor(7), (e: unknown) => e instanceof InvalidInputError && e.reason === 'unknown_schema' && !isRetriable(e));
      }
      assert.equal(r.calls(), 1, 'negative cache: one registry call per schema id');
      r.later(61_000);
      await assert.rejects(r.src.typeFor(7), InvalidInputError);
      assert.equal(r.calls(), 2, 'asked again once the negative entry expired');
    });
  }
  it('5xx and 429 stay retriable (the registry may answer later) and are not cached', async () => {
    for (const status of [500, 503, 429]) {
      const r = registry(() => json({}, status));
      await assert.rejects(r.src.typeFor(7), (e: unknown) => isRetriable(e));
      await assert.rejects(r.src.typeFor(7), (e: unknown) => isRetriable(e));
      assert.equal(r.calls(), 2);
    }
  });
});
