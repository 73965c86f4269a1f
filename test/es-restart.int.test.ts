import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { deployDir } from '../services/common/paths.js';
import { TestStack, makeEvent } from './pipeline-harness.js';
import { waitFor } from './helpers.js';

const stackSh = join(deployDir(), 'local', 'stack.sh');
const stack = (...args: string[]) => spawnSync('bash', [stackSh, ...args], { encoding: 'utf8', env: process.env });
// Only the project's own local Elasticsearch can be stopped and started by a test.
// The skip is on the test, not the suite: node:test counts a skipped test in the summary, a skipped suite not at all.
const skip = process.env.ELASTICSEARCH_URL
  ? 'ELASTICSEARCH_URL points at a cluster this test must not stop'
  : stack('status').status !== 0 ? 'the local stack (deploy/local/stack.sh) is not running' : false;

describe('Elasticsearch stopped and restarted mid-stream (the real server)', () => {
  const t = new TestStack('esrestart');
  after(async () => {
    if (!skip) stack('up');
    await t.close();
  });

  it('holds the batch while the server is down and indexes every event exactly once after it is back', { skip }, async () => {
    await t.startPipeline();
    const first = Array.from({ length: 200 }, () => makeEvent());
    await t.produceEvents(first);
    await waitFor(async () => (await t.countDocs('events')) === first.length, { what: 'first 200 indexed' });

    const down = stack('down', 'es');
    assert.equal(down.status, 0, down.stderr);
    const failuresBefore = t.metrics.counterValue('llm_audit_bulk_request_failures_total', { stage: 'index' });
    const second = Array.from({ length: 300 }, () => makeEvent());
    await t.produceEvents(second);
    await waitFor(async () => t.metrics.counterValue('llm_audit_bulk_request_failures_total', { stage: 'index' }) > failuresBefore, { what: 'bulk failures while Elasticsearch is down', timeoutMs: 30_000 });
    assert.equal(t.metrics.stage('index').sent, first.length, 'nothing counted as sent while the server is down');

    const up = stack('up');
    assert.equal(up.status, 0, up.stderr);
    await waitFor(async () => (await t.countDocs('events')) === first.length + second.length, { what: 'all 500 indexed after the restart', timeoutMs: 120_000 });
    const ids = [...first, ...second].map((e) => e.event_id);
    const res = await t.es.search({ index: `${t.core.indexPrefix}-events-*`, size: 0, track_total_hits: true, query: { ids: { values: ids } } });
    assert.equal((res.hits.total as { value: number }).value, ids.length, 'one document per event, none lost');
    assert.equal(await t.countDocs('events'), ids.length, 'no duplicates');
  });
});
