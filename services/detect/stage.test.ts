import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defineConfig } from '../common/config.js';
import { isRetriable, TransientError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { MetricsRegistry } from '../common/metrics.js';
import type { AuditRecord, Doc } from '../common/types.js';
import { defineDetector, fixtureEvent } from './detector.js';
import { openGeo } from './geo.js';
import { DetectStage, detectConfig } from './stage.js';
import { MemoryStateStore, type Snapshot, type StateStore } from './state-store.js';
import { base36, decodeNumbers, encodeNumbers, len36, SNAPSHOT_VERSION } from './engine.js';

const T0 = Date.UTC(2026, 0, 5, 9);
const TOPIC = 'llm.usage.v1';

/** A detector simple enough that the engine's behaviour is all that is tested: fires on a call over 1000 input tokens. */
const big = defineDetector({
  name: 'big_call',
  description: 'Test detector: one call over a thousand input tokens.',
  severity: 'low',
  knownGaps: ['It is a test detector and knows nothing else.'],
  config: defineConfig('detect.big_call.test', { limit: { type: 'int', default: 1000, env: 'LLM_AUDIT_TEST_BIG_LIMIT', description: 'Input tokens.' } }),
  clearAfterMs: () => 60_000,
  create: (c) => ({
    observe(o, st: number | undefined, emit) {
      const n = (st ?? 0) + 1;
      if (o.event.input_tokens > c.limit) emit({ kind: 'big', severity: 'low', message: 'big call', evidence: { tokens: o.event.input_tokens, seen: n }, score: o.event.input_tokens });
      return n;
    },
  }),
  fixtures: { fires: { description: '', events: () => [] }, quiet: { description: '', events: () => [] } },
});

async function makeStage(store: StateStore = new MemoryStateStore(), env: Record<string, string> = {}) {
  return DetectStage.create({ config: detectConfig.fromEnv(env), env, store, logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo(), detectors: [big] });
}

let nextOffset = 0;
function batch(partition: number, specs: { t: number; tokens?: number; key?: string; doc?: Doc; ip?: string }[], from?: number) {
  if (from !== undefined) nextOffset = from;
  const records: AuditRecord[] = specs.map((s) => ({
    event: fixtureEvent({ occurred_at: T0 + s.t, api_key_id: s.key ?? 'key_e', input_tokens: s.tokens ?? 10, source_ip: s.ip ?? '81.2.69.142' }),
    doc: s.doc ?? {},
    alerts: [],
    partition,
    offset: String(nextOffset++),
  }));
  return { records, ctx: { topic: TOPIC, partition, firstOffset: records[0]!.offset, lastOffset: records[records.length - 1]!.offset } };
}
async function run(stage: DetectStage, b: ReturnType<typeof batch>, checkpoint = true) {
  await stage.process(b.records, b.ctx);
  if (checkpoint) await stage.checkpoint(b.ctx);
  return b.records.flatMap((r) => r.alerts.map((a) => ({ ...a })));
}

test('every record gets source.geo; private and missing addresses get none', async () => {
  const s = await makeStage();
  const b = batch(0, [{ t: 0 }, { t: 1, ip: '10.1.2.3' }], 0);
  await run(s, b);
  assert.deepEqual(b.records[0]!.doc.source, { geo: { country_iso_code: 'GB', country_name: 'United Kingdom', city_name: 'Bracknell', region_name: 'England', location: { lat: 51.40359878540039, lon: -0.7617999911308289 } } });
  assert.equal(b.records[1]!.doc.source, undefined);
  assert.equal(s.counters.received, 2);
  assert.equal(s.counters.sent, 2);
});

test('one incident: one emission per batch, same id, count and last_seen bumped; a new incident after it clears', async () => {
  const s = await makeStage();
  const a1 = await run(s, batch(0, [{ t: 0, tokens: 5000 }, { t: 1000, tokens: 5000 }, { t: 2000, tokens: 6000 }], 0));
  assert.equal(a1.length, 1);
  assert.equal(a1[0]!.count, 3);
  assert.equal(a1[0]!.first_seen, T0);
  assert.equal(a1[0]!.last_seen, T0 + 2000);
  assert.equal(a1[0]!.timestamp, T0);
  assert.equal(a1[0]!.evidence.tokens, 6000, 'the strongest evidence');
  const a2 = await run(s, batch(0, [{ t: 30_000, tokens: 5000 }, { t: 31_000 }]));
  assert.equal(a2.length, 1);
  assert.equal(a2[0]!.id, a1[0]!.id);
  assert.equal(a2[0]!.count, 4);
  assert.equal(a2[0]!.evidence.tokens, 6000);
  // quiet for more than clearAfterMs: the condition cleared
  const a3 = await run(s, batch(0, [{ t: 200_000, tokens: 5000 }]));
  assert.equal(a3.length, 1);
  assert.notEqual(a3[0]!.id, a1[0]!.id);
  assert.equal(a3[0]!.count, 1);
});

test('owner fields of the document route the alert; their absence is fine', async () => {
  const s = await makeStage();
  const doc: Doc = { service: { name: 'search-api', environment: 'prod' }, llm_audit: { owner: { team: 'search' }, slack_channel: '#search-alerts' } };
  const [a] = await run(s, batch(0, [{ t: 0, tokens: 5000, doc }], 0));
  assert.deepEqual(a!.owner, { team: 'search', service: 'search-api', environment: 'prod', principal_type: null, slack_channel: '#search-alerts' });
  const [b] = await run(s, batch(1, [{ t: 0, tokens: 5000, key: 'key_other' }], 0));
  assert.equal(b!.owner, undefined);
});

test('the same input in the same order gives the same alert ids (replay = live)', async () => {
  const input = (p: number) => batch(p, [{ t: 0, tokens: 5000 }, { t: 500_000, tokens: 5000, key: 'key_f' }], 0);
  const x = await run(await makeStage(), input(0));
  const y = await run(await makeStage(), input(0));
  assert.deepEqual(x.map((a) => a.id), y.map((a) => a.id));
  assert.equal(new Set(x.map((a) => a.id)).size, 2);
});

test('restart: state and open incidents come back from the snapshot; replayed offsets are not detected twice', async () => {
  const store = new MemoryStateStore();
  const s1 = await makeStage(store, { LLM_AUDIT_DETECT_SNAPSHOT_INTERVAL_MS: '3600000' });
  const [first] = await run(s1, batch(0, [{ t: 0, tokens: 5000 }, { t: 1000, tokens: 5000 }], 0));
  await run(s1, batch(0, [{ t: 2000 }, { t: 3000 }]));
  const saved = JSON.parse(store.docs.get(`${TOPIC}-0`)!) as Snapshot;
  assert.equal(saved.offset, 1, 'the quiet batch was within the snapshot interval');
  // crash: offsets 2 and 3 were committed but never snapshotted... the pipeline resumes at 2 here (commit <= snapshot + uncommitted)
  const s2 = await makeStage(store);
  const again = await run(s2, batch(0, [{ t: 1000, tokens: 5000 }], 1));
  assert.deepEqual(again, [], 'offset 1 is already in the restored state: no second alert');
  const cont = await run(s2, batch(0, [{ t: 2000 }, { t: 3000 }, { t: 4000, tokens: 7000 }]));
  assert.equal(cont.length, 1);
  assert.equal(cont[0]!.id, first!.id, 'the open incident continues under its id');
  assert.equal(cont[0]!.count, 3);
});

test('by default every acknowledged batch is snapshotted before its offsets are committed', async () => {
  const store = new MemoryStateStore();
  const s = await makeStage(store);
  for (let i = 0; i < 5; i++) await run(s, batch(0, [{ t: i * 1000 }, { t: i * 1000 + 500 }], i === 0 ? 0 : undefined));
  assert.equal(store.saves, 5);
  assert.equal((JSON.parse(store.docs.get(`${TOPIC}-0`)!) as Snapshot).offset, 9);
});

test('a redelivered batch (Elasticsearch failed, no checkpoint) reloads state instead of counting twice', async () => {
  const s = await makeStage();
  await run(s, batch(0, [{ t: 0 }], 0));
  const b = batch(0, [{ t: 1000, tokens: 5000 }, { t: 2000, tokens: 5000 }]);
  const once = await run(s, b, false);
  const fresh = batch(0, [{ t: 1000, tokens: 5000 }, { t: 2000, tokens: 5000 }], 1);
  const twice = await run(s, fresh);
  assert.deepEqual(twice.map((a) => [a.id, a.count]), once.map((a) => [a.id, a.count]));
});

test('snapshots are throttled; a batch left unsaved, even one that touched an incident, says so (the pipeline holds its commit)', async () => {
  const store = new MemoryStateStore();
  const s = await makeStage(store, { LLM_AUDIT_DETECT_SNAPSHOT_INTERVAL_MS: '3600000' });
  await run(s, batch(0, [{ t: 0 }], 0));
  assert.equal(store.saves, 1, 'first save');
  for (const b of [batch(0, [{ t: 1000 }]), batch(0, [{ t: 2000 }])]) {
    await s.process(b.records, b.ctx);
    assert.equal(await s.checkpoint(b.ctx), false, 'a quiet batch waits for the interval: not saved');
  }
  const inc = batch(0, [{ t: 3000, tokens: 5000 }]);
  await s.process(inc.records, inc.ctx);
  assert.ok(inc.records.some((r) => r.alerts.length), 'the batch opened an incident');
  assert.equal(await s.checkpoint(inc.ctx), false, 'an incident does not force a save: the commit is held instead');
  assert.equal(store.saves, 1);
  // checkpoint for a batch that is not the last processed one: the state is ahead, nothing saved
  const b = batch(0, [{ t: 4000, tokens: 5000 }]);
  await s.process(b.records, b.ctx);
  await s.checkpoint({ ...b.ctx, lastOffset: String(Number(b.ctx.lastOffset) - 1) });
  assert.equal(store.saves, 1);
});

test('revoked partitions are saved and forgotten; the next owner picks up', async () => {
  const store = new MemoryStateStore();
  const s1 = await makeStage(store, { LLM_AUDIT_DETECT_SNAPSHOT_INTERVAL_MS: '3600000' });
  const [a] = await run(s1, batch(3, [{ t: 0, tokens: 5000 }], 0));
  await run(s1, batch(3, [{ t: 1000 }]));
  await s1.onPartitionsRevoked(TOPIC, [3]);
  assert.equal(s1.partitionState(TOPIC, 3), undefined);
  assert.equal((JSON.parse(store.docs.get(`${TOPIC}-3`)!) as Snapshot).offset, 1);
  const s2 = await makeStage(store);
  const [b] = await run(s2, batch(3, [{ t: 2000, tokens: 5000 }], 2));
  assert.equal(b!.id, a!.id);
  assert.equal(b!.count, 2);
});

test('idle keys are forgotten (bounded state)', async () => {
  const s = await makeStage(new MemoryStateStore(), { LLM_AUDIT_DETECT_KEY_IDLE_MS: '600000' });
  await run(s, batch(0, [{ t: 0, key: 'key_idle' }, { t: 0, key: 'key_busy' }], 0));
  await run(s, batch(0, Array.from({ length: 20 }, (_, i) => ({ t: (i + 1) * 60_000, key: 'key_busy' }))));
  const ps = s.partitionState(TOPIC, 0)!;
  assert.deepEqual([...ps.keys.keys()], ['key_busy']);
});

test('a failing state store is a retriable error, before any state changes', async () => {
  const failing: StateStore = { load: async () => { throw new TransientError('es down'); }, save: async () => true };
  const s = await makeStage(failing);
  const b = batch(0, [{ t: 0, tokens: 5000 }], 0);
  await assert.rejects(() => s.process(b.records, b.ctx), (e) => isRetriable(e));
  assert.deepEqual(b.records[0]!.alerts, []);
});

test('an instance that lost a partition cannot overwrite the new owner\'s later snapshot', async () => {
  const store = new MemoryStateStore();
  const old = await makeStage(store);
  await run(old, batch(5, [{ t: 0, tokens: 5000 }], 0));
  // the partition moved: the new owner resumes and saves a later offset
  const owner = await makeStage(store);
  await run(owner, batch(5, [{ t: 1000, tokens: 5000 }, { t: 2000, tokens: 5000 }], 1));
  const theirs = store.docs.get(`${TOPIC}-5`);
  // the old instance, unaware, checkpoints a batch it still had in flight
  await run(old, batch(5, [{ t: 1000, tokens: 5000 }], 1));
  assert.equal(store.docs.get(`${TOPIC}-5`), theirs, 'the later snapshot stays');
  assert.equal(old.partitionState(TOPIC, 5), undefined, 'the stale copy is dropped: it is reloaded if the partition comes back');
});

test('a gap in offsets keeps our state unless the store has a later snapshot (the partition was elsewhere)', async () => {
  const store = new MemoryStateStore();
  const a = await makeStage(store);
  const [first] = await run(a, batch(6, [{ t: 0, tokens: 5000 }, { t: 1000, tokens: 5000 }], 0));
  // a quiet batch within the snapshot interval: in memory only
  await run(a, batch(6, [{ t: 1500 }]));
  // offset 3 was a transaction marker: no record, no other owner
  const [cont] = await run(a, batch(6, [{ t: 2000, tokens: 5000 }], 4));
  assert.deepEqual([cont!.id, cont!.count, cont!.evidence.seen], [first!.id, 3, 4], 'the quiet event is still in the state');
  // now another instance has the partition for a while and moves on
  const b = await makeStage(store);
  await run(b, batch(6, [{ t: 3000, tokens: 5000 }, { t: 4000, tokens: 5000 }], 5));
  // and the partition comes back to the first instance further on: it takes the later snapshot
  const [back] = await run(a, batch(6, [{ t: 5000, tokens: 5000 }], 7));
  assert.deepEqual([back!.id, back!.count], [first!.id, 6]);
});

test('a snapshot of another state layout version is not restored: the partition starts fresh instead of failing', async () => {
  const store = new MemoryStateStore();
  const old: Snapshot = { topic: TOPIC, partition: 3, offset: 5, savedAt: 0, body: { v: 1, clock: T0, keys: { key_e: { t: T0, s: { big_call: { n: 'an object, the old layout' } } } } } };
  store.docs.set(`${TOPIC}-3`, JSON.stringify(old));
  const s = await makeStage(store);
  const alerts = await run(s, batch(3, [{ t: 0, tokens: 5000 }, { t: 1000 }], 10));
  assert.equal(alerts.length, 1, 'detection runs on fresh state');
  const saved = JSON.parse(store.docs.get(`${TOPIC}-3`)!) as Snapshot;
  assert.equal(saved.body.v, SNAPSHOT_VERSION);
});

test('number states are checkpointed as short strings and come back as the same doubles', () => {
  const t = Date.UTC(2026, 10, 26, 3, 1, 2, 345);
  const state = [-1, 0, 2199, 18_555, t, t - 5_310_000, 3.857, 11_484_542, 0.001, -0.25, 1e-9, 2 ** 52 + 7, 5_812_750_402_360_587, 97_127_838_799_708, -4_000_000, Number.MAX_SAFE_INTEGER, 1.7976931348623157e308];
  const enc = encodeNumbers(state, t);
  assert.equal(typeof enc, 'string');
  assert.deepEqual(decodeNumbers(enc, t), state);
  assert.ok((enc as string).length < JSON.stringify(state).length * 0.8, `${(enc as string).length} vs ${JSON.stringify(state).length} characters`);
  // anything else is left as it is: objects, arrays with other than finite numbers, empty arrays
  for (const other of [{ a: 1 }, [1, 'x'], [1, NaN], [1, Infinity], [], 'plain', undefined]) assert.deepEqual(decodeNumbers(encodeNumbers(other, t), t), other);
});

test('the checkpoint string is the same as when both forms were printed and the shorter kept (snapshots unchanged)', () => {
  // the rule as first written: print both, keep the offset form if it is shorter by more than its marker
  const reference = (a: number[], t: number) =>
    '#' + a.map((n) => {
      if (!Number.isSafeInteger(n)) return `!${String(n)}`;
      const plain = n.toString(36);
      const d = n - t;
      const off = Number.isSafeInteger(d) ? d.toString(36) : plain;
      return off.length + 1 < plain.length ? `~${off}` : plain;
    }).join(',');
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const t = Date.UTC(2026, 10, 26, 3, 1, 2, 345);
  const edges = [0, 1, 35, 36, 1295, 1296, -1, -35, -36, -1296, 36 ** 10 - 1, 36 ** 10, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, t, t - 36, t + 1296, -t];
  for (const x of edges) assert.equal(len36(x), x.toString(36).length, String(x));
  // just below integers of x / 36 near 2^53, and around every power of 36
  for (let k = 1; k < 5000; k++) {
    for (const x of [Number.MAX_SAFE_INTEGER - k, 36 * Math.floor(Number.MAX_SAFE_INTEGER / 36 - k) - 1, 2 ** 47 + k * 35, 36 ** (1 + (k % 10)) - 1 + (k % 3)]) {
      assert.equal(base36(x), x.toString(36), String(x));
      assert.equal(base36(-x), (-x).toString(36), String(-x));
    }
  }
  for (let round = 0; round < 200; round++) {
    const a = edges.map((x) => x);
    for (let i = 0; i < 40; i++) {
      const kind = i % 4;
      a.push(kind === 0 ? Math.round(rnd() * 10 ** Math.floor(rnd() * 16)) : kind === 1 ? t + Math.round((rnd() - 0.5) * 10 ** Math.floor(rnd() * 12)) : kind === 2 ? -Math.round(rnd() * 1e9) : Math.round(rnd() * 1e6) / 1000);
    }
    const tt = round % 2 ? t : Math.round(rnd() * 2 ** 52);
    for (const x of a) if (Number.isSafeInteger(x)) {
      assert.equal(len36(x), x.toString(36).length, String(x));
      assert.equal(base36(x), x.toString(36), String(x));
    }
    assert.equal(encodeNumbers(a, tt), reference(a, tt));
  }
});
