import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TestStack, makeEvent } from './pipeline-harness.js';
import { errorLines, freePort, spawnCli, waitFor } from './helpers.js';

/** `llm-audit run` as an operator starts it: a separate process, /healthz and /metrics, SIGTERM. */
describe('llm-audit run (the pipeline service process)', () => {
  const t = new TestStack('runcmd');
  after(() => t.close());

  it('serves /healthz and /metrics, indexes, and on SIGTERM finishes, commits and exits 0', async () => {
    const port = await freePort();
    const group = `${t.core.usageTopic}.svc`;
    const { child, output: out, exited } = spawnCli(['run', '--group', group, '--http-port', String(port)], t.serviceEnv());
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, { what: `/healthz 200 (output: ${out().slice(-500)})`, timeoutMs: 60_000 });
      const events = Array.from({ length: 60 }, (_, i) => makeEvent({ prompt: `call me at +44 20 7946 0${String(100 + i)} please` }));
      await t.produceEvents(events);
      await waitFor(async () => (await t.countDocs('events')) === events.length, { what: '60 events indexed by the service', timeoutMs: 60_000 });

      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(metrics, /llm_audit_events_sent_total\{stage="index"\} 60/);
      assert.match(metrics, /llm_audit_events_received_total\{stage="decode"\} 60/);
      assert.match(metrics, /llm_audit_events_received_total\{stage="tokenize"\}/);
      assert.match(metrics, /llm_audit_consumer_lag\{partition="\d",topic="[^"]+"\} \d+/);
      assert.match(metrics, /llm_audit_bulk_latency_ms_count\{stage="index"\} \d+/);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 45_000))]);
    assert.equal(code, 0, `exit code after SIGTERM (output: ${out().slice(-800)})`);
    assert.match(out(), /shutting down/);
    assert.ok(!out().includes('7946 0100'), 'raw prompt text in the service log');
    assert.deepEqual(errorLines(out()), [], 'ERROR-level lines during a normal start and stop');

    // everything consumed was committed before the process left
    const admin = t.kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: group, topics: [t.core.usageTopic] });
      const ends = await admin.fetchTopicOffsets(t.core.usageTopic);
      for (const p of committed[0]!.partitions) {
        const end = ends.find((e) => e.partition === p.partition)!;
        assert.equal(p.offset, end.high, `partition ${p.partition} committed up to its end`);
      }
    } finally {
      await admin.disconnect();
    }
  });
});
