import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configRegistry } from '../common/config.js';
import { repoRoot } from '../common/paths.js';
import { discoverDetectors } from './registry.js';
import { readmeSection } from '../../test/helpers.js';
import './stage.js';
import './geo.js';

const found = await discoverDetectors();
/** A detector may be documented in its runbook (docs/runbooks/<rule>.md: heading, settings table) instead of the README section. */
const runbooks = found
  .map(({ def }) => join(repoRoot(), 'docs', 'runbooks', `${def.name}.md`))
  .filter((f) => existsSync(f))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const detectDocs = () => `${readmeSection('Detect stage')}\n${runbooks}`;

test('the README detect section documents every detect setting with its default', () => {
  const doc = detectDocs();
  for (const [component, schema] of configRegistry) {
    if (!/^(detect|geoip)(\.|$)/.test(component) || component.endsWith('.test')) continue;
    for (const [key, f] of Object.entries(schema.spec)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${f.env}\` |`));
      assert.ok(row, `${component}.${key} (${f.env}) is missing from the README detect section`);
      if (f.default !== undefined && !Array.isArray(f.default)) assert.ok(row.includes(`\`${String(f.default)}\``), `${f.env}: default ${String(f.default)} not in its row`);
    }
  }
});

test('every detector has a section and a runbook', () => {
  const doc = detectDocs();
  for (const { def } of found) {
    assert.ok(new RegExp(`^#+ ${def.name}\\b`, 'm').test(doc), `the README detect section has no heading for ${def.name}`);
    assert.ok(existsSync(join(repoRoot(), 'docs', 'runbooks', `${def.name}.md`)), `docs/runbooks/${def.name}.md`);
  }
});
