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
