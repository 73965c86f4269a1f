import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { repoRoot } from '../services/common/paths.js';
import { TEST_TOKENIZE_ENV, TestStack, makeEvent } from './pipeline-harness.js';
import { errorLines, waitFor } from './helpers.js';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** `llm-audit run` as an operator starts it: a separate process, /healthz and /metrics, SIGTERM. */
describe('llm-audit run (the pipeline service process)', () => {
  const t = new TestStack('runcmd');
  after(() => t.close());

  it('serves /healthz and /metrics, indexes, and on SIGTERM finishes, commits and exits 0', async () => {
    const port = await freePort();
    const group = `${t.core.usageTopic}.svc`;
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'services', 'cli', 'main.js'), 'run', '--group', group, '--http-port', String(port)], {
      env: {
        ...process.env,
        ...TEST_TOKENIZE_ENV,
        KAFKA_BROKERS: t.core.kafkaBrokers.join(','),
        ELASTICSEARCH_URL: t.core.elasticsearchUrl,
        LLM_AUDIT_USAGE_TOPIC: t.core.usageTopic,
        LLM_AUDIT_DLQ_TOPIC: t.core.dlqTopic,
        LLM_AUDIT_ALERTS_TOPIC: t.core.alertsTopic,
        LLM_AUDIT_INDEX_PREFIX: t.core.indexPrefix,
        LLM_AUDIT_TOPIC_PARTITIONS: '3',
        LLM_AUDIT_IDENTITY_TOPIC_ENABLED: 'false',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200, { what: `/healthz 200 (output: ${output.slice(-500)})`, timeoutMs: 60_000 });
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
    assert.equal(code, 0, `exit code after SIGTERM (output: ${output.slice(-800)})`);
    assert.match(output, /shutting down/);
    assert.ok(!output.includes('7946 0100'), 'raw prompt text in the service log');
    assert.deepEqual(errorLines(output), [], 'ERROR-level lines during a normal start and stop');

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
