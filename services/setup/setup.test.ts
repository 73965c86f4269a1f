import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installAssets, renderAssets } from './assets.js';
import { importSavedObjects, loadSavedObjects, renderSavedObjects } from './kibana.js';
import { setupConfig } from './config.js';

test('templates render with the prefix, sizing, and the ILM policy only when the cluster has ILM', () => {
  const noIlm = renderAssets({ prefix: 't-abc', shards: 3, replicas: 1, retentionDays: { events: 30, alerts: 60 }, withIlm: false });
  const events = noIlm.templates.find((t) => t.kind === 'events')!;
  assert.equal(events.name, 't-abc-events');
  assert.deepEqual((events.body as { index_patterns: string[] }).index_patterns, ['t-abc-events-*']);
  const settings = (events.body.template as { settings: Record<string, unknown> }).settings;
  assert.equal(settings.number_of_shards, 3);
  assert.equal(settings.number_of_replicas, 1);
  assert.equal(settings['index.lifecycle.name'], undefined);
  assert.ok(!JSON.stringify(noIlm).includes('{{'), 'no placeholder left');
  const withIlm = renderAssets({ prefix: 't-abc', retentionDays: { events: 30, alerts: 60 }, withIlm: true });
  const s2 = (withIlm.templates.find((t) => t.kind === 'events')!.body.template as { settings: Record<string, unknown> }).settings;
  assert.equal(s2['index.lifecycle.name'], 't-abc-events-retention');
  const vault = withIlm.templates.find((t) => t.kind === 'vault')!;
  assert.equal((vault.body.template as { settings: Record<string, unknown> }).settings['index.lifecycle.name'], undefined, 'the vault is not deleted by age');
  const policy = (k: string) => JSON.stringify(withIlm.policies.find((p) => p.name === `t-abc-${k}-retention`)!.body);
  assert.match(policy('events'), /"min_age":"30d"/);
  assert.match(policy('alerts'), /"min_age":"60d"/);
});

test('events refresh as Elasticsearch decides unless LLM_AUDIT_ES_REFRESH_INTERVAL says; alerts every second', () => {
  // an explicit interval, even Elasticsearch's own 1s, refreshes an index no one searches: the catch-up of a backlog
  // then pays a refresh a second (bench/es-doc-cost.mjs, variant r1s)
  const settingsOf = (r: ReturnType<typeof renderAssets>, k: string) => (r.templates.find((t) => t.kind === k)!.body.template as { settings: Record<string, unknown> }).settings;
  const unset = renderAssets({ prefix: 'p', refreshInterval: setupConfig.fromEnv({}).refreshInterval, withIlm: false });
  assert.equal('refresh_interval' in settingsOf(unset, 'events'), false);
  assert.equal(settingsOf(unset, 'alerts').refresh_interval, '1s');
  const set = renderAssets({ prefix: 'p', refreshInterval: setupConfig.fromEnv({ LLM_AUDIT_ES_REFRESH_INTERVAL: '30s' }).refreshInterval, withIlm: false });
  assert.equal(settingsOf(set, 'events').refresh_interval, '30s');
  assert.equal(settingsOf(set, 'alerts').refresh_interval, '30s');
  assert.throws(() => setupConfig.fromEnv({ LLM_AUDIT_ES_REFRESH_INTERVAL: 'soon' }), /LLM_AUDIT_ES_REFRESH_INTERVAL.*must match/);
});

test('the checksum moves with any rendered change and only then', () => {
  const a = renderAssets({ prefix: 'p', withIlm: false });
  const b = renderAssets({ prefix: 'p', withIlm: false });
  const c = renderAssets({ prefix: 'p', replicas: 1, withIlm: false });
  const sum = (r: typeof a, k: string) => (r.templates.find((t) => t.kind === k)!.body._meta as { checksum: string }).checksum;
  assert.equal(sum(a, 'events'), sum(b, 'events'));
  assert.notEqual(sum(a, 'events'), sum(c, 'events'));
  assert.notEqual(sum(a, 'events'), sum(a, 'alerts'));
});

test('setup config reads the environment and rejects what cannot work', () => {
  const c = setupConfig.fromEnv({ LLM_AUDIT_ES_REPLICAS: '2', LLM_AUDIT_ILM: 'off' });
  assert.equal(c.replicas, 2);
  assert.equal(c.shards, 1);
  assert.equal(c.ilm, 'off');
  assert.throws(() => setupConfig.fromEnv({ KIBANA_URL: '127.0.0.1:5601' }), /KIBANA_URL.*must match/);
  assert.throws(() => setupConfig.parse({ shard: 1 }), /unknown config key/);
});

test('saved objects are rewritten for another prefix (data view titles only)', () => {
  const objs = loadSavedObjects().flatMap((f) => f.objects);
  const out = renderSavedObjects(objs, 't-x').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id: string; attributes: { title: string } });
  const views = out.filter((o) => o.type === 'index-pattern');
  assert.ok(views.length >= 2);
  for (const v of views) assert.match(v.attributes.title, /^t-x-/);
  assert.deepEqual(out.map((o) => o.id), objs.map((o) => o.id), 'ids stay, so references still resolve');
});

test('Kibana import posts the NDJSON as multipart with kbn-xsrf, into the space', async () => {
  let seen: { url?: string; headers?: Record<string, unknown>; body?: string } = {};
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen = { url: req.url, headers: req.headers, body };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true, successCount: 2, errors: [] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const r = await importSavedObjects('{"id":"a"}\n{"id":"b"}\n', { url, space: 'soc', username: 'u', password: 'p' });
    assert.deepEqual(r, { success: true, successCount: 2, errors: [] });
    assert.equal(seen.url, '/s/soc/api/saved_objects/_import?overwrite=true');
    assert.ok(seen.headers!['kbn-xsrf']);
    assert.equal(seen.headers!.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
    assert.match(String(seen.headers!['content-type']), /^multipart\/form-data; boundary=/);
    assert.match(seen.body!, /filename="llm-audit\.ndjson"[\s\S]*\{"id":"a"\}\n\{"id":"b"\}/);
  } finally {
    server.close();
  }
});

test('Kibana refusing the import is an error that says so; a 503 may be retried', async () => {
  for (const [status, retriable] of [[400, false], [503, true]] as const) {
    const fetchImpl = (async () => new Response('{"message":"bad"}', { status })) as typeof fetch;
    await assert.rejects(importSavedObjects('{}\n', { url: 'http://k', fetchImpl }), (e: Error & { retriable?: boolean }) => e.retriable === retriable && /Kibana/.test(e.message));
  }
});

/** A cluster with ILM, in memory: the local distribution has none, and this path must still be right. */
function fakeIlmCluster() {
  const templates = new Map<string, Record<string, unknown>>();
  const policies = new Map<string, Record<string, unknown>>();
  const indices = new Set<string>();
  const calls: string[] = [];
  const notFound = () => Object.assign(new Error('not found'), { meta: { statusCode: 404 } });
  const client = {
    ilm: {
      getStatus: async () => ({ operation_mode: 'RUNNING' }),
      getLifecycle: async ({ name }: { name: string }) => {
        const p = policies.get(name);
        if (!p) throw notFound();
        return { [name]: { policy: p } };
      },
      putLifecycle: async ({ name, policy }: { name: string; policy: Record<string, unknown> }) => (calls.push(`put policy ${name}`), policies.set(name, policy)),
    },
    indices: {
      getIndexTemplate: async ({ name }: { name: string }) => {
        const t = templates.get(name);
        if (!t) throw notFound();
        return { index_templates: [{ name, index_template: t }] };
      },
      putIndexTemplate: async ({ name, ...body }: { name: string }) => (calls.push(`put template ${name}`), templates.set(name, body)),
      exists: async ({ index }: { index: string }) => indices.has(index),
      create: async ({ index }: { index: string }) => (calls.push(`create ${index}`), indices.add(index)),
      putMapping: async () => undefined,
    },
  };
  return { client: client as unknown as Parameters<typeof installAssets>[0], templates, policies, calls };
}

test('with ILM: retention policies per kind are installed and set on events and alerts templates, once', async () => {
  const f = fakeIlmCluster();
  const r = await installAssets(f.client, { prefix: 'p', retentionDays: { events: 30, alerts: 90 } });
  assert.equal(r.retention, 'ilm');
  assert.deepEqual([...f.policies.keys()].sort(), ['p-alerts-retention', 'p-events-retention']);
  assert.match(JSON.stringify(f.policies.get('p-events-retention')), /"delete":\{"min_age":"30d"/);
  const settings = (n: string) => (f.templates.get(n)!.template as { settings: Record<string, unknown> }).settings;
  assert.equal(settings('p-events')['index.lifecycle.name'], 'p-events-retention');
  assert.equal(settings('p-alerts')['index.lifecycle.name'], 'p-alerts-retention');
  assert.equal(settings('p-integrity')['index.lifecycle.name'], undefined);
  const n = f.calls.length;
  const again = await installAssets(f.client, { prefix: 'p', retentionDays: { events: 30, alerts: 90 } });
  assert.equal(f.calls.length, n, 'a rerun writes nothing');
  assert.ok(again.assets.every((a) => a.action === 'unchanged'));
  const longer = await installAssets(f.client, { prefix: 'p', retentionDays: { events: 60, alerts: 90 } });
  assert.deepEqual(longer.assets.filter((a) => a.action !== 'unchanged').map((a) => a.name), ['p-events-retention']);
});

test('without ILM (GET _ilm/status answers 405): no policy, and ilm=on fails with a fix', async () => {
  const f = fakeIlmCluster();
  (f.client.ilm as unknown as { getStatus: () => Promise<never> }).getStatus = async () => {
    throw Object.assign(new Error('Incorrect HTTP method'), { meta: { statusCode: 405 } });
  };
  const r = await installAssets(f.client, { prefix: 'p' });
  assert.equal(r.retention, 'retention-job');
  assert.equal(f.policies.size, 0);
  assert.equal((f.templates.get('p-events')!.template as { settings: Record<string, unknown> }).settings['index.lifecycle.name'], undefined);
  await assert.rejects(installAssets(f.client, { prefix: 'q', ilm: 'on' }), /LLM_AUDIT_ILM=on but this cluster has no ILM/);
});
