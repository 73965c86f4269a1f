import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../services/common/paths.js';
import { loadSavedObjects, type SavedObject } from '../services/setup/kibana.js';
import { checkSavedObjects, collectUsages, kqlFields, templatesFor } from '../services/setup/kibana-check.js';
import { docPage } from './helpers.js';

const all = () => loadSavedObjects().flatMap((f) => f.objects);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

test('every field a saved object uses is in the index template with a type that supports the use; references resolve', () => {
  const objects = all();
  assert.deepEqual(checkSavedObjects(objects), []);
});

test('the saved objects cover what SOC and compliance asked for', () => {
  const objects = all();
  const titles = new Set(objects.map((o) => String(o.attributes.title)));
  for (const t of ['Hunt: all calls of one key', 'Hunt: failed auth by source IP', 'Hunt: traffic from new countries', 'llm-audit: SOC', 'llm-audit: compliance', 'Source countries', 'PII findings by type over time']) {
    assert.ok(titles.has(t), t);
  }
  const { usages } = collectUsages(objects);
  const has = (field: string, use: string) => usages.some((u) => u.field === field && u.use === use);
  assert.ok(has('source.geo.location', 'geo'), 'the map plots a geo_point');
  assert.ok(has('llm_audit.owner.team', 'terms'));
  assert.ok(has('gen_ai.usage.total_tokens', 'numeric'));
  assert.ok(has('llm_audit.cost.usd', 'numeric'));
  assert.ok(has('llm_audit.pii.types', 'terms'));
  const dash = objects.find((o) => o.id === 'llm-audit-soc')!;
  assert.ok((dash.references ?? []).length >= 8);
});

test('the check fails on what Kibana would get wrong', () => {
  const objects = all();
  const broken = (mutate: (objs: SavedObject[]) => void) => {
    const objs = clone(objects);
    mutate(objs);
    return checkSavedObjects(objs);
  };
  const lensCol = (objs: SavedObject[], id: string) =>
    ((objs.find((o) => o.id === id)!.attributes.state as { datasourceStates: { formBased: { layers: { layer1: { columns: Record<string, { sourceField: string }> } } } } }).datasourceStates.formBased.layers.layer1.columns);

  assert.match(broken((o) => (lensCol(o, 'llm-audit-soc-tokens').m!.sourceField = 'llm_audit.owner.team')).join('\n'), /llm_audit\.owner\.team is keyword .* does not support numeric/);
  assert.match(broken((o) => (lensCol(o, 'llm-audit-soc-calls').s!.sourceField = 'message')).join('\n'), /message is text \(not aggregatable\).*terms/);
  assert.match(broken((o) => (lensCol(o, 'llm-audit-soc-calls').s!.sourceField = 'llm_audit.owner.nope')).join('\n'), /llm_audit\.owner\.nope \(terms\) is not in template llm-audit-events/);
  assert.match(broken((o) => {
    const m = o.find((x) => x.type === 'map')!;
    m.attributes.layerListJSON = String(m.attributes.layerListJSON).replace('"geoField":"source.geo.location"', '"geoField":"source.geo.country_iso_code"');
  }).join('\n'), /country_iso_code is keyword .* geo/);
  assert.match(broken((o) => (o.find((x) => x.id === 'llm-audit-soc')!.references![0]!.id = 'gone')).join('\n'), /does not resolve/);
  assert.match(broken((o) => {
    const s = o.find((x) => x.id === 'llm-audit-hunt-pii')!;
    const meta = s.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string };
    meta.searchSourceJSON = meta.searchSourceJSON.replace('llm_audit.pii.count > 0', 'llm_audit.pii.types > 0');
  }).join('\n'), /llm_audit\.pii\.types is keyword .* range/);
  assert.match(broken((o) => o.splice(o.findIndex((x) => x.id === 'llm-audit-alerts'), 1)).join('\n'), /index-pattern\/llm-audit-alerts does not resolve/);
});

test('KQL field extraction skips quoted values and tells ranges from matches', () => {
  assert.deepEqual(kqlFields('a.b : "x: y" and c >= 3 or not d:(1 or 2)'), [
    { field: 'a.b', use: 'query' }, { field: 'c', use: 'range' }, { field: 'd', use: 'query' },
  ]);
});

test('each data view reaches exactly the templates it should', () => {
  const ts = templatesFor();
  assert.ok(ts.find((t) => t.name === 'llm-audit-events')!.fields.get('source.geo.location')!.type === 'geo_point');
  assert.equal(ts.find((t) => t.name === 'llm-audit-vault')!.fields.get('ciphertext')!.searchable, false);
});

test('every field in the KQL examples of docs/soc/hunts.md is in the events or alerts template', () => {
  const md = docPage('docs/soc/hunts.md');
  const kql = [...md.matchAll(/KQL[^\n]*:\n```\n([^`]+)```/g), ...md.matchAll(/\| `([^`]+)` \|\n/g)].map((m) => m[1]!);
  assert.ok(kql.length >= 6);
  const ts = templatesFor().filter((t) => /-(events|alerts)$/.test(t.name));
  const fields = kql.flatMap((q) => kqlFields(q));
  assert.ok(fields.length >= 10);
  for (const f of fields) assert.ok(ts.some((t) => t.fields.has(f.field)), `${f.field} is in no template`);
});
