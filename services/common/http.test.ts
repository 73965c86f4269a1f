import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { alertConfig } from '../alert/config.js';
import { startOpsServer } from './http.js';
import { MetricsRegistry } from './metrics.js';
import { coreConfig } from './settings.js';

describe('ops server (/healthz, /metrics)', () => {
  it('binds to loopback by default, for the pipeline and the alert service alike', async () => {
    assert.equal(coreConfig.parse({}).httpHost, '127.0.0.1');
    assert.equal(typeof alertConfig.parse({}).opsPort, 'number');
    const ops = await startOpsServer(0, new MetricsRegistry(), () => ({ ok: true }));
    try {
      assert.equal((ops.server.address() as AddressInfo).address, '127.0.0.1');
    } finally {
      await ops.close();
    }
  });

  it('every service that serves /metrics passes LLM_AUDIT_METRICS_TOKEN and LLM_AUDIT_HTTP_HOST to it', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'commands');
    const calls = readdirSync(dir).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js'))
      .flatMap((f) => (readFileSync(join(dir, f), 'utf8').match(/startOpsServer\([^;]*\);/g) ?? []).map((c) => [f, c] as const));
    assert.ok(calls.length >= 3, `found ${calls.length} ops servers`);
    for (const [f, c] of calls) assert.match(c, /core\.httpHost, \{ metricsToken: core\.metricsToken \}/, `${f}: ${c}`);
  });

  it('with a token, /metrics needs it as a bearer token; /healthz stays open', async () => {
    const metrics = new MetricsRegistry();
    metrics.inc('llm_audit_test_total', 'x', {});
    const token = ['tok', 'en', String(Date.now())].join('-');
    const ops = await startOpsServer(0, metrics, () => ({ ok: true }), '127.0.0.1', { metricsToken: token });
    const url = `http://127.0.0.1:${ops.port}`;
    try {
      assert.equal((await fetch(`${url}/metrics`)).status, 401);
      assert.equal((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}x` } })).status, 401);
      assert.equal((await fetch(`${url}/metrics`, { headers: { authorization: token } })).status, 401);
      const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      assert.match(await ok.text(), /llm_audit_test_total/);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      await ops.close();
    }
  });
});
