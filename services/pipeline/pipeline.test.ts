import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import type { EachBatchPayload } from 'kafkajs';
import { pino } from 'pino';
import { LocalSchemaSource } from '../common/avro.js';
import { MetricsRegistry } from '../common/metrics.js';
import { coreConfig } from '../common/settings.js';
import type { Transform } from '../common/stage.js';
import type { Alert, AuditRecord } from '../common/types.js';
import { usageEncoder } from '../common/usage.js';
import { fixtureEvent } from '../detect/detector.js';
import { pipelineConfig } from './config.js';
import { Pipeline } from './pipeline.js';

/**
 * One batch through the pipeline's batch loop with Kafka and Elasticsearch faked, to pin the order of the writes:
 * the alert may leave while the bulk is in flight, the offset moves only after both.
 */
function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

async function harness() {
  const log: string[] = [];
  const bulkDone = deferred();
  let bulkCalls = 0;
  const es = {
    bulk: async () => {
      bulkCalls++;
      log.push('bulk sent');
      await bulkDone.promise;
      log.push('bulk acknowledged');
      return { errors: false };
    },
  } as unknown as Client;
  const core = coreConfig.parse({ usageTopic: 'u', alertsTopic: 'a', dlqTopic: 'd', indexPrefix: 'p' });
  const pipeline = new Pipeline({ core, config: pipelineConfig.parse({ stages: [] }), env: {}, es, logger: pino({ level: 'silent' }), metrics: new MetricsRegistry() });
  const alerting: Transform = {
    name: 'alerting',
    counters: new MetricsRegistry().stage('alerting'),
    process: (records: AuditRecord[]) => {
      const e = records[0]!.event;
      const alert: Alert = { id: 'alert-1', rule: 'invalid_request_burst', kind: 'auth_failures', severity: 'high', api_key_id: e.api_key_id, timestamp: e.occurred_at, created: e.occurred_at, first_seen: e.occurred_at, last_seen: e.occurred_at, count: 1, message: 'burst', evidence: {} };
      records[0]!.alerts.push(alert);
    },
    checkpoint: async () => void log.push('checkpoint'),
  };
  const internals = pipeline as unknown as Record<string, unknown>;
  internals.transforms = [alerting];
  internals.partitions = { count: async () => 3 };
  internals.producer = { send: async (r: { topic: string }) => void log.push(`produce ${r.topic}`) };
  internals.consumer = { seek: (o: { partition: number; offset: string }) => void log.push(`seek ${o.partition}@${o.offset}`) };
  const enc = usageEncoder(new LocalSchemaSource());
  const messages = await Promise.all([0, 1, 2].map(async (i) => ({ offset: String(10 + i), key: Buffer.from('k'), value: await enc.encode(fixtureEvent({ occurred_at: Date.UTC(2026, 10, 1) + i })), headers: {} })));
  const committed: string[] = [];
  const payload = {
    batch: { topic: 'u', partition: 0, messages, firstOffset: () => '10', lastOffset: () => '12', offsetLag: () => '0' },
    resolveOffset: (o: string) => void log.push(`resolve ${o}`),
    commitOffsetsIfNecessary: async (o: { topics: { partitions: { offset: string }[] }[] }) => {
      committed.push(o.topics[0]!.partitions[0]!.offset);
      log.push('commit');
    },
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  const run = (internals.handleBatch as (p: EachBatchPayload) => Promise<void>).call(pipeline, payload);
  return { log, bulkDone, run, committed, bulkCalls: () => bulkCalls };
}

describe('pipeline batch loop', () => {
  it('sends the alert while the bulk is in flight and commits only after the bulk and the alert', async () => {
    const h = await harness();
    for (let i = 0; i < 20 && !h.log.includes('produce a'); i++) await new Promise((r) => setImmediate(r));
    assert.deepEqual(h.log, ['bulk sent', 'produce a'], 'the alert left before Elasticsearch answered, nothing committed');
    h.bulkDone.resolve();
    await h.run;
    assert.deepEqual(h.log, ['bulk sent', 'produce a', 'bulk acknowledged', 'checkpoint', 'resolve 12', 'commit']);
    assert.deepEqual(h.committed, ['13'], 'the next offset to read');
  });

  it('commits nothing when the bulk fails, and lets the alert send finish first', async () => {
    const h = await harness();
    await new Promise((r) => setImmediate(r));
    h.bulkDone.reject(Object.assign(new Error('mapping explosion'), { meta: { statusCode: 400 } }));
    await assert.rejects(h.run, /mapping explosion/);
    assert.ok(h.log.includes('produce a'));
    assert.ok(!h.log.includes('commit') && !h.log.includes('checkpoint') && !h.log.some((l) => l.startsWith('resolve')), h.log.join(', '));
  });
});

/** The same loop with one event per bulk (bulkMaxEvents 1): each bulk waits for the test to answer it. */
async function chunkedHarness(opts: { revokeAfterFirstChunk?: boolean; alertPerRecord?: boolean; stateNotSaved?: boolean } = {}) {
  const log: string[] = [];
  let stale = false;
  const answers: ReturnType<typeof deferred>[] = [];
  let bulks = 0;
  const es = {
    bulk: async (req: { operations: Buffer }) => {
      const n = ++bulks;
      const d = deferred();
      answers.push(d);
      const offset = /"offset":(\d+)/.exec(req.operations.toString('utf8'))?.[1];
      log.push(`bulk ${n} sent (offset ${offset})`);
      await d.promise;
      log.push(`bulk ${n} acknowledged`);
      return { errors: false };
    },
  } as unknown as Client;
  const core = coreConfig.parse({ usageTopic: 'u', alertsTopic: 'a', dlqTopic: 'd', indexPrefix: 'p' });
  const pipeline = new Pipeline({ core, config: pipelineConfig.parse({ stages: [], bulkMaxEvents: 1 }), env: {}, es, logger: pino({ level: 'silent' }), metrics: new MetricsRegistry() });
  const contexts: string[] = [];
  const stage: Transform = {
    name: 'probe',
    counters: new MetricsRegistry().stage('probe'),
    process: (records: AuditRecord[], ctx) => {
      contexts.push(`${ctx.firstOffset}-${ctx.lastOffset}`);
      log.push(`staged ${records.map((r) => r.offset).join(',')}`);
      if (opts.revokeAfterFirstChunk) stale = true;
      // an alert raised once, as attribute's findings are (a redelivered record does not raise it again)
      if (opts.alertPerRecord)
        for (const r of records) {
          const e = r.event;
          r.alerts.push({ id: `alert-${r.offset}`, rule: 'unattributed_key', kind: 'unknown_key', severity: 'medium', api_key_id: e.api_key_id, timestamp: e.occurred_at, created: e.occurred_at, first_seen: e.occurred_at, last_seen: e.occurred_at, count: 1, message: 'unknown key', evidence: {} });
        }
    },
    checkpoint: async (ctx) => {
      log.push(`checkpoint ${ctx.firstOffset}-${ctx.lastOffset}`);
      // a snapshot interval that skipped this batch: its state is not saved
      return opts.stateNotSaved ? false : undefined;
    },
  };
  const internals = pipeline as unknown as Record<string, unknown>;
  internals.transforms = [stage];
  internals.partitions = { count: async () => 3 };
  internals.producer = { send: async (r: { topic: string }) => void log.push(`produce ${r.topic}`) };
  internals.consumer = { seek: (o: { partition: number; offset: string }) => void log.push(`seek ${o.partition}@${o.offset}`) };
  const enc = usageEncoder(new LocalSchemaSource());
  const messages = await Promise.all([0, 1, 2].map(async (i) => ({ offset: String(10 + i), key: Buffer.from('k'), value: await enc.encode(fixtureEvent({ occurred_at: Date.UTC(2026, 10, 1) + i })), headers: {} })));
  const payload = {
    // the batch's last offset lies past its last message (a control record): the last chunk carries it
    batch: { topic: 'u', partition: 0, messages, firstOffset: () => '10', lastOffset: () => '13', offsetLag: () => '0' },
    resolveOffset: (o: string) => void log.push(`resolve ${o}`),
    commitOffsetsIfNecessary: async (o: { topics: { partitions: { offset: string }[] }[] }) => void log.push(`commit ${o.topics[0]!.partitions[0]!.offset}`),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => stale,
  } as unknown as EachBatchPayload;
  const run = (internals.handleBatch as (p: EachBatchPayload) => Promise<void>).call(pipeline, payload);
  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  };
  const again = () => (internals.handleBatch as (p: EachBatchPayload) => Promise<void>).call(pipeline, payload);
  return { log, answers, run, again, contexts, settle };
}

describe('pipeline batch loop in chunks', () => {
  it('stages the next chunk while a bulk is in flight, sends bulks one after another, commits after the last', async () => {
    const h = await chunkedHarness();
    await h.settle();
    assert.deepEqual(h.log, ['staged 10', 'bulk 1 sent (offset 10)', 'staged 11'], 'chunk 2 staged while bulk 1 is in flight, and not sent before it is answered');
    h.answers[0]!.resolve();
    await h.settle();
    assert.deepEqual(h.log.slice(3), ['bulk 1 acknowledged', 'bulk 2 sent (offset 11)', 'staged 12']);
    h.answers[1]!.resolve();
    await h.settle();
    assert.ok(!h.log.some((l) => l.startsWith('checkpoint') || l.startsWith('commit')), 'nothing saved or committed before the last bulk is answered');
    h.answers[2]!.resolve();
    await h.run;
    assert.deepEqual(h.log.slice(6), ['bulk 2 acknowledged', 'bulk 3 sent (offset 12)', 'bulk 3 acknowledged', 'checkpoint 10-13', 'resolve 13', 'commit 14']);
    assert.deepEqual(h.contexts, ['10-10', '11-11', '12-13'], 'each chunk is staged with its own offsets, the last with the batch\'s end');
  });

  it('a refused bulk stops the batch: no later bulk, no checkpoint, no commit', async () => {
    const h = await chunkedHarness();
    await h.settle();
    h.answers[0]!.reject(Object.assign(new Error('mapping explosion'), { meta: { statusCode: 400 } }));
    await assert.rejects(h.run, /mapping explosion/);
    await h.settle();
    assert.deepEqual(h.log, ['staged 10', 'bulk 1 sent (offset 10)', 'staged 11'], h.log.join(', '));
  });

  it('a chunk\'s alerts go out once it is staged, not behind the bulk before it; a refused bulk still leaves them sent (they would not be raised again on redelivery)', async () => {
    const h = await chunkedHarness({ alertPerRecord: true });
    await h.settle();
    assert.deepEqual([...h.log].sort(), ['bulk 1 sent (offset 10)', 'produce a', 'produce a', 'staged 10', 'staged 11'], `chunk 2's alert is produced while bulk 1 is in flight: ${h.log.join(', ')}`);
    h.answers[0]!.reject(Object.assign(new Error('mapping explosion'), { meta: { statusCode: 400 } }));
    await assert.rejects(h.run, /mapping explosion/);
    await h.settle();
    assert.equal(h.log.filter((l) => l === 'produce a').length, 2, `each chunk's alert went out once, no later chunk's: ${h.log.join(', ')}`);
    assert.ok(!h.log.some((l) => l.startsWith('bulk 2') || l.startsWith('commit') || l.startsWith('checkpoint')), h.log.join(', '));
  });

  it('a stage whose state is not saved at the batch\'s end holds the commit (the fetch position still moves on)', async () => {
    const h = await chunkedHarness({ stateNotSaved: true });
    for (let i = 0; i < 3; i++) {
      await h.settle();
      h.answers[i]!.resolve();
    }
    await h.run;
    assert.deepEqual(h.log.slice(-2), ['checkpoint 10-13', 'resolve 13'], h.log.join(', '));
    assert.ok(!h.log.some((l) => l.startsWith('commit')), h.log.join(', '));
    // a later batch that fails goes back to the held offset, where the stage's state was saved
    const next = h.again();
    await h.settle();
    h.answers[3]!.reject(Object.assign(new Error('mapping explosion'), { meta: { statusCode: 400 } }));
    await assert.rejects(next, /mapping explosion/);
    assert.equal(h.log.at(-1), 'seek 0@10', h.log.join(', '));
  });

  it('a partition revoked mid-batch stops before the next chunk, after the bulk in flight is answered', async () => {
    const h = await chunkedHarness({ revokeAfterFirstChunk: true });
    await h.settle();
    assert.deepEqual(h.log, ['staged 10', 'bulk 1 sent (offset 10)']);
    let settled = false;
    void h.run.catch(() => undefined).finally(() => (settled = true));
    await h.settle();
    assert.equal(settled, false, 'the batch waits for the bulk in flight before it gives up');
    h.answers[0]!.resolve();
    await assert.rejects(h.run, /batch abandoned/);
    assert.deepEqual(h.log, ['staged 10', 'bulk 1 sent (offset 10)', 'bulk 1 acknowledged'], 'no later chunk, no checkpoint, no commit');
  });
});
