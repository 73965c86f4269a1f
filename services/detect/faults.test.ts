import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TransientError } from '../common/errors.js';
import { createLogger } from '../common/logger.js';
import { MetricsRegistry } from '../common/metrics.js';
import type { Alert, AuditRecord, UsageEvent } from '../common/types.js';
import { Simulation } from '../simulate/traffic.js';
import { openGeo } from './geo.js';
import { murmur2Partition } from './replay.js';
import { DetectStage, detectConfig } from './stage.js';
import { MemoryStateStore, type Snapshot, type StateStore } from './state-store.js';

/**
 * The pipeline's contract with the detect stage, driven by hand so faults can be put exactly where they
 * hurt: per partition, fetch from the committed offset, process, write (alerts reach Elasticsearch by id),
 * checkpoint, commit. A crash loses the instance and everything uncommitted; the next instance knows only
 * the snapshots and the committed offsets.
 */
type Fault = 'crash_after_process' | 'crash_after_write' | 'crash_after_checkpoint' | 'store_down' | 'redeliver' | 'rebalance';

const ENV = { LLM_AUDIT_DUPLICATE_FINGERPRINT_KEY: 'fault-test-fingerprint-key-000000' };
const PARTITIONS = 4;
const BATCH = 150;

/** A store that can be taken away, as Elasticsearch can. */
class FlakyStore implements StateStore {
  down = 0;
  constructor(readonly inner = new MemoryStateStore()) {}
  async load(topic: string, partition: number): Promise<Snapshot | null> {
    if (this.down > 0) {
      this.down--;
      throw new TransientError('state store unavailable');
    }
    return this.inner.load(topic, partition);
  }
  async save(s: Snapshot): Promise<boolean> {
    if (this.down > 0) {
      this.down--;
      throw new TransientError('state store unavailable');
    }
    return this.inner.save(s);
  }
}

async function newStage(store: StateStore, env: NodeJS.ProcessEnv) {
  return DetectStage.create({ config: detectConfig.fromEnv(env), env, store, logger: createLogger({ level: 'silent' }), metrics: new MetricsRegistry(), geo: await openGeo() });
}

/** What Elasticsearch holds at the end: each alert id's latest write. */
/** `holdCommits`: the pipeline's contract, no commit past a checkpoint that says its state is not saved (false: commit every batch, as before). */
async function run(log: UsageEvent[][], faults: Map<number, Fault>, env: NodeJS.ProcessEnv = ENV, holdCommits = true): Promise<{ alerts: Map<string, Alert>; crashes: number; held: number }> {
  const store = new FlakyStore();
  let stage = await newStage(store, env);
  const committed = new Array<number>(PARTITIONS).fill(0);
  // where the next fetch of a partition starts: past a held commit, or back at the committed offset after a crash
  const pos = new Array<number>(PARTITIONS).fill(0);
  const es = new Map<string, Alert>();
  let crashes = 0;
  let held = 0;
  const retry = async <T>(f: () => Promise<T>) => {
    for (;;) {
      try {
        return await f();
      } catch (err) {
        if (!(err instanceof TransientError)) throw err;
      }
    }
  };
  for (let step = 0; pos.some((c, p) => c < log[p]!.length); step++) {
    const p = step % PARTITIONS;
    let from = pos[p]!;
    if (from >= log[p]!.length) continue;
    const fetch = () => {
      const records: AuditRecord[] = log[p]!.slice(from, from + BATCH).map((e, i) => ({ event: e, doc: {}, alerts: [], partition: p, offset: String(from + i) }));
      return { records, ctx: { topic: 't', partition: p, firstOffset: String(from), lastOffset: String(from + records.length - 1) } };
    };
    let { records, ctx } = fetch();
    const fault = faults.get(step);
    if (fault === 'store_down') store.down = 3;
    await retry(() => Promise.resolve(stage.process(records, ctx)));
    if (fault === 'crash_after_process') {
      crashes++;
      stage = await newStage(store, env);
      pos.splice(0, PARTITIONS, ...committed);
      continue;
    }
    if (fault === 'redeliver') {
      // the write failed and the batch is fetched again (broker reconnect, or Elasticsearch down for the write),
      // from the committed offset: the pipeline seeks back there when it had held commits
      from = pos[p] = committed[p]!;
      ({ records, ctx } = fetch());
      await retry(() => Promise.resolve(stage.process(records, ctx)));
    }
    for (const r of records) for (const a of r.alerts) es.set(a.id, structuredClone(a));
    if (fault === 'crash_after_write') {
      crashes++;
      stage = await newStage(store, env);
      pos.splice(0, PARTITIONS, ...committed);
      continue;
    }
    const saved = await retry(() => stage.checkpoint(ctx));
    if (fault === 'crash_after_checkpoint') {
      // SIGKILL between the state checkpoint and the offset commit
      crashes++;
      stage = await newStage(store, env);
      pos.splice(0, PARTITIONS, ...committed);
      continue;
    }
    // a held commit: the next batch is fetched from where this one ended, the committed offset stays
    if (holdCommits && saved === false) {
      held++;
      pos[p] = from + records.length;
    } else committed[p] = pos[p] = from + records.length;
    if (fault === 'rebalance') {
      await stage.onPartitionsRevoked('t', [p]);
      pos[p] = committed[p]!;
    }
  }
  return { alerts: es, crashes, held };
}

const sim = new Simulation({ seed: 21, start: Date.UTC(2026, 10, 2, 6), minutes: 360, keys: 30, attacks: true });
const events = [...sim.events()];
const log: UsageEvent[][] = Array.from({ length: PARTITIONS }, () => []);
for (const e of events) log[murmur2Partition(e.api_key_id, PARTITIONS)]!.push(e);
const steps = Math.ceil(events.length / BATCH);

/** Faults spread over the stream: crashes at every point of a batch, the store away, redeliveries, rebalances. */
function schedule(): Map<number, Fault> {
  const kinds: Fault[] = ['crash_after_process', 'crash_after_write', 'crash_after_checkpoint', 'store_down', 'redeliver', 'rebalance'];
  const m = new Map<number, Fault>();
  for (let i = 0; i < 24; i++) m.set(Math.floor(((i + 0.5) * steps) / 24), kinds[i % kinds.length]!);
  return m;
}

const key = (a: Alert) => `${a.id} ${a.rule}/${a.kind} ${a.api_key_id} count=${a.count} ${a.first_seen}..${a.last_seen}`;

test(`a fault schedule over a long stream (${events.length} events) gives the clean run's alerts exactly`, async () => {
  const clean = await run(log, new Map());
  assert.ok(clean.alerts.size >= 5, `the stream raises alerts (${clean.alerts.size})`);
  const faulty = await run(log, schedule());
  assert.ok(faulty.crashes >= 10);
  assert.deepEqual([...faulty.alerts.values()].map(key).sort(), [...clean.alerts.values()].map(key).sort());
});

test('with a snapshot interval, committing every batch anyway leaves committed records out of the state after a crash (why the pipeline holds the commit)', async () => {
  const env = { ...ENV, LLM_AUDIT_DETECT_SNAPSHOT_INTERVAL_MS: '3600000' };
  const crashes = new Map<number, Fault>();
  for (let i = 1; i < 12; i++) crashes.set(Math.floor((i * steps) / 12), 'crash_after_checkpoint');
  const clean = await run(log, new Map(), env, false);
  const faulty = await run(log, crashes, env, false);
  assert.notDeepEqual([...faulty.alerts.values()].map(key).sort(), [...clean.alerts.values()].map(key).sort());
});

test('with a snapshot interval and the commit held at the saved state, the fault schedule gives the clean run\'s alerts exactly', async () => {
  const env = { ...ENV, LLM_AUDIT_DETECT_SNAPSHOT_INTERVAL_MS: '3600000' };
  const clean = await run(log, new Map());
  const faulty = await run(log, schedule(), env);
  assert.ok(faulty.crashes >= 10);
  assert.ok(faulty.held > 0, 'some commits were held');
  assert.deepEqual([...faulty.alerts.values()].map(key).sort(), [...clean.alerts.values()].map(key).sort());
});
