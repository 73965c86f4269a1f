import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configRegistry } from '../common/config.js';
import { repoRoot } from '../common/paths.js';
import { discoverDetectors } from './registry.js';
import './stage.js';
import './geo.js';

const found = await discoverDetectors();
/** docs/detect/detectors.md: the detect stage's reference page (the README links to it). */
const page = () => readFileSync(join(repoRoot(), 'docs', 'detect', 'detectors.md'), 'utf8');

test('docs/detect/detectors.md documents every detect setting with its default', () => {
  const doc = page();
  for (const [component, schema] of configRegistry) {
    if (!/^(detect|geoip)(\.|$)/.test(component) || component.endsWith('.test')) continue;
    for (const [key, f] of Object.entries(schema.spec)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${f.env}\` |`));
      assert.ok(row, `${component}.${key} (${f.env}) is missing from docs/detect/detectors.md`);
      if (f.default !== undefined && f.default !== '' && !f.secret && !Array.isArray(f.default)) assert.ok(row.includes(`\`${String(f.default)}\``), `${f.env}: default ${String(f.default)} not in its row`);
    }
  }
});

test('every detector has a section (with its measured delay, state bytes and known gaps) and a runbook', () => {
  const doc = page();
  for (const { def } of found) {
    assert.ok(new RegExp(`^#+ ${def.name}\\b`, 'm').test(doc), `docs/detect/detectors.md has no heading for ${def.name}`);
    const section = doc.slice(doc.search(new RegExp(`^#+ ${def.name}\\b`, 'm'))).split(/\n#{1,4} /)[0]!;
    for (const part of ['Delay', 'State', 'Known gaps']) assert.ok(section.includes(`${part}:`), `the ${def.name} section states '${part}:'`);
    assert.ok(doc.includes(`](../runbooks/${def.name}.md)`), `docs/detect/detectors.md links the ${def.name} runbook`);
    assert.ok(existsSync(join(repoRoot(), 'docs', 'runbooks', `${def.name}.md`)), `docs/runbooks/${def.name}.md`);
  }
});
