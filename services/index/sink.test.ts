import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Client } from '@elastic/elasticsearch';
import { pino } from 'pino';
import { MetricsRegistry } from '../common/metrics.js';
import { BULK_FILTER, classifyItem, ElasticsearchSink, type BulkItem } from './sink.js';

type BulkArgs = { operations: Record<string, { _id: string }>[]; filter_path?: string[] };
type Answer = { errors: boolean; items?: Record<string, { status: number; error?: { type: string; reason: string } }>[] };

/** A bulk endpoint that answers from a script: one answer per call, each from the ids it was sent. */
function fakeEs(answer: (ids: string[], call: number) => Answer | Error) {
  const calls: BulkArgs[] = [];
  const es = {
    bulk: async (raw: Omit<BulkArgs, 'operations'> & { operations: Buffer }) => {
      // the sink sends its NDJSON as one UTF-8 buffer; the fake reads it back line by line, as Elasticsearch does
      assert.ok(Buffer.isBuffer(raw.operations), 'the body goes to the client as bytes');
      const operations = raw.operations.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, { _id: string }>);
      const args: BulkArgs = { ...raw, operations };
      calls.push(args);
      const ids = args.operations.filter((_, i) => i % 2 === 0).map((op) => Object.values(op)[0]!._id);
      const a = answer(ids, calls.length);
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as Client;
  return { es, calls };
}

const items = (ids: string[]): BulkItem<string>[] => ids.map((id) => ({ index: 'events', id, doc: { id }, ref: id }));
const sink = (es: Client, metrics = new MetricsRegistry()) => new ElasticsearchSink(es, pino({ level: 'silent' }), metrics);
const fast = { maxDelayMs: 1 };

describe('ElasticsearchSink', () => {
  it('asks Elasticsearch for the status and error of each item only', async () => {
    const { es, calls } = fakeEs(() => ({ errors: false }));
    assert.deepEqual(await sink(es).write(items(['a', 'b'])), []);
    assert.deepEqual(calls[0]!.filter_path, BULK_FILTER);
    assert.deepEqual(BULK_FILTER, ['errors', 'items.*.status', 'items.*.error']);
    assert.equal(calls[0]!.operations.length, 4, 'an action line and a document per item');
  });

  it('retries only the items answered 429 or 5xx, returns the ones that can never succeed', async () => {
    const { es, calls } = fakeEs((ids, call) => {
      if (call === 1) {
        return {
          errors: true,
          items: ids.map((id) => ({ index: id === 'busy' ? { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } : id === 'bad' ? { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse [x]' } } : { status: 201 } })),
        };
      }
      return { errors: false };
    });
    const metrics = new MetricsRegistry();
    const rejected = await sink(es, metrics).write(items(['ok', 'busy', 'bad']), fast);
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1]!.operations.filter((_, i) => i % 2 === 0).map((op) => op.index!._id), ['busy'], 'the second request holds the 429 item only');
    assert.deepEqual(rejected.map((r) => [r.item.ref, r.status, r.reason]), [['bad', 400, 'mapper_parsing_exception: failed to parse [x]']]);
    assert.equal(metrics.counterValue('llm_audit_bulk_item_retries_total', { stage: 'index' }), 1);
  });

  it('retries a whole request that failed for a reason that passes (connection lost, 503)', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { name: 'ConnectionError' });
    const { es, calls } = fakeEs((_, call) => (call < 3 ? down : { errors: false }));
    const metrics = new MetricsRegistry();
    assert.deepEqual(await sink(es, metrics).write(items(['a']), fast), []);
    assert.equal(calls.length, 3);
    assert.equal(metrics.counterValue('llm_audit_bulk_request_failures_total', { stage: 'index' }), 2);
  });

  it('a filtered answer that does not account for every item is retried, not read out of step', async () => {
    const { es, calls } = fakeEs((_, call) => (call === 1 ? { errors: true, items: [{ index: { status: 201 } }] } : { errors: false }));
    assert.deepEqual(await sink(es).write(items(['a', 'b']), fast), []);
    assert.equal(calls.length, 2, 'the whole batch was sent again');
  });

  it('classifies item statuses as Vector does', () => {
    assert.deepEqual([200, 201, 409, 429, 500, 503, 400, 404].map(classifyItem), ['ok', 'ok', 'retry', 'retry', 'retry', 'retry', 'reject', 'reject']);
  });

  it('a programming error is thrown at once, not retried as if Elasticsearch were down', async () => {
    const { es, calls } = fakeEs(() => new TypeError('x is not a function'));
    await assert.rejects(sink(es).write(items(['a']), fast), TypeError);
    assert.equal(calls.length, 1);
  });
});
