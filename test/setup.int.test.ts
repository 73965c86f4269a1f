import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { repoRoot } from '../services/common/paths.js';
import { installAssets, templateName } from '../services/setup/assets.js';
import { docPage, testEs, uniqueName } from './helpers.js';

const es: Client = testEs();
const prefixes: string[] = [];

/** Deletes by exact name: destructive wildcard deletes are off on a real cluster, and nothing but ours may go. */
export async function dropPrefix(client: Client, prefix: string): Promise<void> {
  const rows = (await client.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index', expand_wildcards: 'all' })) as { index?: string }[];
  for (const r of rows) if (r.index?.startsWith(`${prefix}-`)) await client.indices.delete({ index: r.index }).catch(() => undefined);
  const ts = await client.indices.getIndexTemplate({ name: `${prefix}-*` }).catch(() => ({ index_templates: [] }));
  for (const t of ts.index_templates) if (t.name.startsWith(`${prefix}-`)) await client.indices.deleteIndexTemplate({ name: t.name }).catch(() => undefined);
  for (const k of ['events', 'alerts']) await client.ilm.deleteLifecycle({ name: `${prefix}-${k}-retention` }).catch(() => undefined);
}

after(async () => {
  for (const p of prefixes) await dropPrefix(es, p);
  await es.close();
});

test('setup twice in a row changes nothing the second time', async () => {
  const prefix = uniqueName('t-setup');
  prefixes.push(prefix);
  const first = await installAssets(es, { prefix });
  assert.ok(first.assets.length >= 10);
  assert.ok(first.assets.every((a) => a.action === 'created'), JSON.stringify(first.assets.filter((a) => a.action !== 'created')));
  const tpl = await es.indices.getIndexTemplate({ name: templateName(prefix, 'events') });
  const before = JSON.stringify(tpl.index_templates[0]!.index_template);
  const fileVersion = (JSON.parse(readFileSync(join(repoRoot(), 'deploy', 'elasticsearch', 'events-template.json'), 'utf8')) as { _meta: { version: number } })._meta.version;
  assert.equal((tpl.index_templates[0]!.index_template._meta as { version: number }).version, fileVersion);
  assert.equal(tpl.index_templates[0]!.index_template.version, fileVersion);

  const second = await installAssets(es, { prefix });
  assert.deepEqual(second.assets.filter((a) => a.action !== 'unchanged'), []);
  assert.equal(second.assets.length, first.assets.length);
  const again = await es.indices.getIndexTemplate({ name: templateName(prefix, 'events') });
  assert.equal(JSON.stringify(again.index_templates[0]!.index_template), before, 'the template was not rewritten');

  // the cluster's ILM decides the retention mechanism; whichever it is, the report says so
  const hasIlm = await es.ilm.getStatus().then(() => true, () => false);
  assert.equal(second.retention, hasIlm ? 'ilm' : 'retention-job');
});

test('templates shape the indices created after setup; a sizing change updates only the templates', async () => {
  const prefix = uniqueName('t-setup');
  prefixes.push(prefix);
  await installAssets(es, { prefix });
  const index = `${prefix}-events-2026.11.27`;
  await es.indices.create({ index });
  const m = await es.indices.getMapping({ index });
  const props = m[index]!.mappings.properties as Record<string, { properties?: Record<string, { properties?: Record<string, { type?: string }> }> }>;
  assert.equal(props.source!.properties!.geo!.properties!.location!.type, 'geo_point');
  const s = await es.indices.getSettings({ index, flat_settings: true });
  assert.equal((s[index]!.settings as Record<string, string>)['index.number_of_replicas'], '0');

  const resized = await installAssets(es, { prefix, replicas: 1 });
  const templates = resized.assets.filter((a) => a.kind === 'index_template');
  assert.ok(templates.every((a) => a.action === 'updated'));
  const s2 = await es.indices.getSettings({ index, flat_settings: true });
  assert.equal((s2[index]!.settings as Record<string, string>)['index.number_of_replicas'], '0', 'existing indices keep their settings');
  const t = await es.indices.getIndexTemplate({ name: templateName(prefix, 'alerts') });
  assert.equal(String((t.index_templates[0]!.index_template.template!.settings as { index?: { number_of_replicas?: string } }).index?.number_of_replicas ?? (t.index_templates[0]!.index_template.template!.settings as Record<string, unknown>).number_of_replicas), '1');
  assert.ok((await installAssets(es, { prefix, replicas: 1 })).assets.every((a) => a.action === 'unchanged'));
});

test('a newer installed version is not downgraded without --force; the vault is hidden', async () => {
  const prefix = uniqueName('t-setup');
  prefixes.push(prefix);
  await installAssets(es, { prefix });
  const name = templateName(prefix, 'alerts');
  const cur = (await es.indices.getIndexTemplate({ name })).index_templates[0]!.index_template;
  await es.indices.putIndexTemplate({ name, index_patterns: cur.index_patterns, priority: cur.priority, template: cur.template, _meta: { version: 99, checksum: 'other' } } as never);
  const r = await installAssets(es, { prefix });
  assert.equal(r.assets.find((a) => a.name === name)!.action, 'skipped');
  assert.equal(((await es.indices.getIndexTemplate({ name })).index_templates[0]!.index_template._meta as { version: number }).version, 99);
  const forced = await installAssets(es, { prefix, force: true });
  assert.equal(forced.assets.find((a) => a.name === name)!.action, 'updated');

  const vault = `${prefix}-vault`;
  const s = await es.indices.getSettings({ index: vault, flat_settings: true, expand_wildcards: 'all' });
  assert.equal((s[vault]!.settings as Record<string, string>)['index.hidden'], 'true');
  const visible = (await es.cat.indices({ index: `${prefix}-*`, format: 'json', h: 'index' })) as { index: string }[];
  assert.ok(!visible.some((r) => r.index === vault), 'a wildcard search does not reach the vault');
});

test('the Query DSL hunts in docs/soc/hunts.md run against indices made by the templates', async () => {
  const prefix = uniqueName('t-setup');
  prefixes.push(prefix);
  await installAssets(es, { prefix });
  await es.index({
    index: `${prefix}-events-2026.11.26`, refresh: true,
    document: { '@timestamp': new Date().toISOString(), llm_audit: { api_key: { id: 'key_477ebe9f0a63' }, pii: { count: 1, types: ['SECRET'] }, owner: { team: 'payments' } }, http: { response: { status_code: 401 } }, source: { ip: '1.2.3.4', geo: { country_iso_code: 'KP' } } },
  });
  const md = docPage('docs/soc/hunts.md');
  const bodies = [...md.matchAll(/GET llm-audit-events-\*\/_search\n(\{[\s\S]*?\n\})\n```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  assert.equal(bodies.length, 4);
  for (const body of bodies) {
    const r = await es.search({ index: `${prefix}-events-*`, ...body });
    assert.equal((r.hits.total as { value: number }).value, 1, JSON.stringify(body).slice(0, 80));
  }
});
