import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineConfig } from '../common/config.js';
import { getPath, type Alert, type AuditRecord, type Doc } from '../common/types.js';
import { defineDetector, fixtureEvent, spliceNumbers, type DetectorInstance } from './detector.js';
import { allowedCountries, DetectEngine, PartitionState } from './engine.js';

const T0 = Date.UTC(2026, 0, 5, 9);

test('number states live in the arena: each key keeps its own, growth moves a state, freed regions are reused', () => {
  const ps = new PartitionState();
  const want = new Map<string, number[]>();
  let seed = 3;
  const rnd = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  for (let k = 0; k < 300; k++) {
    const key = `key_${k}`;
    const slot = ps.add(key, T0 + k);
    const s = Array.from({ length: 5 + (k % 7) }, () => (rnd() < 0.5 ? Math.round(rnd() * 1e12) : rnd() * 1e-3));
    ps.put(0, slot, s);
    want.set(key, s);
  }
  // grow every third key's state, as a detector adding a principal does
  for (const [key, slot] of ps.keys) {
    if (slot % 3) continue;
    const grown = spliceNumbers(ps.get(0, slot) as number[], 2, [-0, 7.5, Number.MAX_SAFE_INTEGER]);
    ps.put(0, slot, grown);
    want.set(key, grown);
  }
  for (const [key, slot] of ps.keys) assert.deepEqual([...(ps.get(0, slot) as number[])], want.get(key), key);
  const bytes = ps.arenaBytes;
  // idle keys go, as many new ones of the same sizes come, again and again: the arena does not grow
  let n = 0;
  for (let round = 0; round < 30; round++) {
    const sizes: number[] = [];
    for (const [key, slot] of [...ps.keys]) {
      if (key.startsWith('key_') && slot % 2 === 0) continue;
      if (key.startsWith('new_') && rnd() < 0.3) continue;
      sizes.push((ps.get(0, slot) as number[]).length);
      ps.remove(key, slot);
    }
    for (const len of sizes) ps.put(0, ps.add(`new_${n++}`, T0), Array.from({ length: len }, () => n));
  }
  assert.ok(n > 2000, `${n} keys came and went`);
  assert.equal(ps.arenaBytes, bytes);
  for (const [key, slot] of ps.keys) if (key.startsWith('key_')) assert.deepEqual([...(ps.get(0, slot) as number[])], want.get(key), key);
  assert.equal(ps.keys.size, 300);
  for (const [key, slot] of ps.keys) if (key.startsWith('new_')) assert.ok((ps.get(0, slot) as number[]).every((x, _i, a) => x === a[0]), key);
});

test('a state that is not flat numbers is kept as it is, and a key can move between the two', () => {
  const ps = new PartitionState();
  const slot = ps.add('k', T0);
  assert.equal(ps.get(2, slot), undefined);
  const obj = { k: [1, 2, 3, 4, T0], ip: { '10.0.0.1': [0, 1, 0, 1, T0] } };
  ps.put(2, slot, obj);
  assert.equal(ps.get(2, slot), obj);
  ps.put(2, slot, [1, 2, 3]);
  assert.deepEqual([...(ps.get(2, slot) as number[])], [1, 2, 3]);
  ps.put(2, slot, [1, 'two', 3]);
  assert.deepEqual(ps.get(2, slot), [1, 'two', 3]);
  ps.put(2, slot, undefined);
  assert.equal(ps.get(2, slot), undefined);
  // another key added later has empty columns, not the first key's values
  const other = ps.add('other', T0);
  assert.equal(ps.get(2, other), undefined);
});

/** Counts calls per key in place; throws (after changing its state) on a call of 13 input tokens. */
const counter = defineDetector({
  name: 'counter',
  description: 'Test detector: counts calls per key in place.',
  severity: 'low',
  knownGaps: ['A test detector.'],
  config: defineConfig('detect.counter.test', {}),
  clearAfterMs: () => 60_000,
  create: (): DetectorInstance<number[]> => ({
    observe(o, st) {
      const s = st ?? [0, 0];
      s[0] = s[0]! + 1;
      s[1] = o.t;
      if (o.event.input_tokens === 13) throw new Error('unlucky');
      return s;
    },
  }),
  fixtures: { fires: { description: '', events: () => [] }, quiet: { description: '', events: () => [] } },
});

test('the engine writes back what a detector changed in place, per key, also when it threw afterwards', () => {
  const errors: string[] = [];
  const engine = new DetectEngine([{ def: counter, inst: counter.create({} as never, { allowedLatenessMs: 60_000 }), clearAfterMs: 60_000 }], { allowedLatenessMs: 60_000, keyIdleMs: 3_600_000, onDetectorError: (d) => errors.push(d) });
  const ps = new PartitionState();
  const alerts = new Map<string, Alert>();
  const rec = (key: string, t: number, input_tokens = 100): AuditRecord => ({ event: fixtureEvent({ occurred_at: t, api_key_id: key, input_tokens }), doc: {}, alerts: [], partition: 0, offset: '0' });
  // interleaved keys: the array the engine hands out is reused, the counts must not mix
  for (let i = 0; i < 10; i++) for (const key of ['a', 'b', 'c']) if (i < 4 || key !== 'c') engine.detect(ps, rec(key, T0 + i * 1000), null, alerts);
  engine.detect(ps, rec('b', T0 + 20_000, 13), null, alerts);
  assert.deepEqual(errors, ['counter']);
  const body = engine.snapshot(ps);
  const counts = Object.fromEntries(Object.entries(body.keys).map(([k, e]) => [k, engine.restore(body, 0).get(0, engine.restore(body, 0).keys.get(k)!) as number[]]).map(([k, s]) => [k, [...(s as number[])]]));
  assert.deepEqual(counts, { a: [10, T0 + 9000], b: [11, T0 + 20_000], c: [4, T0 + 3000] });
});

test('a snapshot keeps each key\'s own state when a state stays unencoded (empty, NaN, Infinity)', () => {
  const T0 = Date.UTC(2026, 0, 5, 9);
  const states: Record<string, (t: number) => number[]> = { key_a: (t) => [t, Infinity], key_e: () => [], key_n: (t) => [t, Number.NaN], key_b: (t) => [t, 1, 2, 3] };
  const inst = { observe: (o: { event: { api_key_id: string }; t: number }) => states[o.event.api_key_id]!(o.t) } as unknown as DetectorInstance;
  const det = { def: { name: 'probe' }, inst, clearAfterMs: 1e9 } as unknown as ConstructorParameters<typeof DetectEngine>[0][number];
  const eng = new DetectEngine([det], { allowedLatenessMs: 60_000, keyIdleMs: 1e12 });
  const ps = new PartitionState();
  let off = 0;
  for (const k of ['key_a', 'key_e', 'key_n', 'key_b']) {
    const rec = { event: fixtureEvent({ api_key_id: k, occurred_at: T0 + off }), doc: {}, alerts: [], partition: 0, offset: String(off++) } as unknown as AuditRecord;
    eng.detect(ps, rec, null, new Map());
  }
  const snap = JSON.parse(JSON.stringify(eng.snapshot(ps))) as { keys: Record<string, { s: { probe: unknown } }> };
  assert.deepEqual(snap.keys.key_e!.s.probe, []);
  assert.deepEqual(snap.keys.key_a!.s.probe, [T0, null], 'Infinity is JSON null: the key keeps its own two numbers, not key_b\'s four');
  assert.deepEqual(snap.keys.key_n!.s.probe, [T0 + 2, null]);
  const restored = eng.restore(snap as never, 3);
  const got: Record<string, unknown> = {};
  for (const [k, slot] of restored.keys) got[k] = (restored.get(0, slot) as unknown[] | undefined)?.length;
  assert.deepEqual(got, { key_a: 2, key_e: 0, key_n: 2, key_b: 4 });
});

test("allowedCountries reads what getPath finds: the owner's list, else the API key's, only through plain objects", () => {
  const ref = (doc: Doc) => {
    const v = getPath(doc, 'llm_audit.owner.allowed_countries') ?? getPath(doc, 'llm_audit.api_key.allowed_countries');
    return Array.isArray(v) && v.length ? v.filter((x): x is string => typeof x === 'string') : null;
  };
  const docs: Doc[] = [
    {},
    { llm_audit: null },
    { llm_audit: ['x'] },
    { llm_audit: 'owner' },
    { llm_audit: { owner: { allowed_countries: ['US', 'CA'] }, api_key: { allowed_countries: ['DE'] } } },
    { llm_audit: { owner: { allowed_countries: null }, api_key: { allowed_countries: ['DE', 7, 'FR'] } } },
    { llm_audit: { owner: { allowed_countries: [] }, api_key: { allowed_countries: ['DE'] } } },
    { llm_audit: { owner: [{ allowed_countries: ['US'] }], api_key: { allowed_countries: ['NL'] } } },
    { llm_audit: { owner: { team: 'a' }, api_key: ['NL'] } },
    { llm_audit: { api_key: { allowed_countries: 'US' } } },
    { 'llm_audit.owner.allowed_countries': ['US'] },
  ];
  const want: (string[] | null)[] = [null, null, null, null, ['US', 'CA'], ['DE', 'FR'], null, ['NL'], null, null, null];
  docs.forEach((d, i) => {
    assert.deepEqual(allowedCountries(d), ref(d), JSON.stringify(d));
    assert.deepEqual(allowedCountries(d), want[i], JSON.stringify(d));
  });
});
