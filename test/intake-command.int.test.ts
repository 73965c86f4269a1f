import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../services/common/paths.js';
import { LocalSchemaSource } from '../services/common/avro.js';
import { ensureTopics, projectTopics } from '../services/common/kafka.js';
import { usageDecoder } from '../services/common/usage.js';
import { TestStack } from './pipeline-harness.js';
import { freePort, spawnCli, waitFor } from './helpers.js';


/** `llm-audit intake` as an operator starts it: its own process, a token file, /healthz, /metrics, SIGTERM. */
describe('llm-audit intake (the process)', () => {
  const t = new TestStack('intakecmd');
  after(() => t.close());

  it('refuses to start without sender tokens; with a token file it accepts OTLP/JSON, counts, and exits 0 on SIGTERM', { timeout: 120_000 }, async () => {
    const main = join(repoRoot(), 'dist', 'services', 'cli', 'main.js');
    const base = { ...process.env, KAFKA_BROKERS: t.core.kafkaBrokers.join(','), LLM_AUDIT_USAGE_TOPIC: t.core.usageTopic, LOG_LEVEL: 'info' };
    const noTokens = spawn(process.execPath, [main, 'intake', '--port', '0', '--http-port', '0'], { env: { ...base, LLM_AUDIT_INTAKE_TOKENS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    noTokens.stderr.on('data', (d) => (err += d));
    assert.equal(await new Promise((r) => noTokens.on('exit', r)), 1);
    assert.match(err, /LLM_AUDIT_INTAKE_TOKENS/);

    const admin = t.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, projectTopics(t.core)).finally(() => admin.disconnect());
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const token = ['cmd', '-token-', Date.now().toString(36), '-x'].join('');
    const file = join(mkdtempSync(join(tmpdir(), 'intake-')), 'tokens');
    writeFileSync(file, `gateway-a:${token}\n`);
    const [port, ops] = [await freePort(), await freePort()];
    const { child, output: out, exited } = spawnCli(['intake', '--port', String(port), '--http-port', String(ops)], { ...base, LLM_AUDIT_INTAKE_TOKENS_FILE: file });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${ops}/healthz`)).status === 200, { what: `/healthz (output: ${out().slice(-400)})`, timeoutMs: 60_000 });
      const now = BigInt(Date.now()) * 1_000_000n;
      const body = JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'cmd-svc' } }] }, scopeSpans: [{ spans: [
        { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', name: 'chat', startTimeUnixNano: now.toString(), endTimeUnixNano: now.toString(),
          attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } }, { key: 'gen_ai.prompt', value: { stringValue: 'secret plan for jane@example.com' } }] },
        { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b8', name: 'GET /', startTimeUnixNano: now.toString(), endTimeUnixNano: now.toString(), attributes: [] },
      ] }] }] });
      assert.equal((await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 401);
      const ok = await fetch(`http://127.0.0.1:${port}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
      assert.equal(ok.status, 200);
      const [msg] = await t.readTopic(t.core.usageTopic, 1);
      const ev = await usageDecoder(new LocalSchemaSource()).decode(msg!.value);
      assert.equal(ev.model, 'gpt-4o-mini');
      assert.equal(ev.gateway_id, 'cmd-svc');
      assert.equal(msg!.key, 'service:cmd-svc');
      const metrics = await (await fetch(`http://127.0.0.1:${ops}/metrics`)).text();
      assert.match(metrics, /llm_audit_events_sent_total\{stage="intake"\} 1/);
      assert.match(metrics, /llm_audit_intake_dropped_total\{reason="not_genai"\} 1/);
      assert.match(metrics, /llm_audit_intake_requests_total\{code="401",path="\/v1\/traces"\} 1/);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, `exit code (output: ${out().slice(-400)})`);
    assert.ok(!out().includes('secret plan') && !out().includes(token), 'no prompt text or token in the log');
  });
});
