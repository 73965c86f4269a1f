import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createLogger } from '../common/logger.js';
import { MetricsRegistry } from '../common/metrics.js';
import { IdentityDirectory } from './directory.js';
import { IdentityFileSource } from './file-source.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-audit-ids-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const logger = createLogger({ level: 'silent' });

const entry = (id: string, status = 'active') => `  - { api_key_id: ${id}, team: t, service: s, environment: prod, created: 2026-01-01, status: ${status} }\n`;

async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('the file is reloaded on change, including an atomic rename, without a restart', async () => {
  const path = join(dir, 'ids.yaml');
  writeFileSync(path, `keys:\n${entry('key_a')}`);
  const d = new IdentityDirectory();
  const src = new IdentityFileSource(d, { path, pollMs: 200, defaultRotationDays: 90, logger });
  await src.start();
  try {
    assert.equal(d.get('key_a')?.status, 'active');
    assert.equal(d.get('key_b'), undefined);
    writeFileSync(path, `keys:\n${entry('key_a', 'revoked')}${entry('key_b')}`);
    await until(() => d.get('key_b') !== undefined);
    assert.equal(d.get('key_a')?.status, 'revoked');
    // how editors and config management write: new file, then rename over the old one
    writeFileSync(join(dir, 'ids.yaml.tmp'), `keys:\n${entry('key_c')}`);
    renameSync(join(dir, 'ids.yaml.tmp'), path);
    await until(() => d.get('key_c') !== undefined);
    assert.equal(d.get('key_a'), undefined);
  } finally {
    src.close();
  }
});

test('an invalid file is rejected, the last good directory stays, and the error names the entry', async () => {
  const path = join(dir, 'ids2.yaml');
  writeFileSync(path, `keys:\n${entry('key_a')}`);
  const d = new IdentityDirectory();
  const metrics = new MetricsRegistry();
  const src = new IdentityFileSource(d, { path, pollMs: 100, defaultRotationDays: 90, logger, metrics });
  await src.start();
  try {
    writeFileSync(path, `keys:\n${entry('key_a')}  - { api_key_id: key_typo, team: t, service: s, environment: prdo, created: 2026-01-01 }\n`);
    await until(() => src.lastError !== null);
    assert.match(src.lastError!, /api_key_id key_typo\): environment must be one of/);
    assert.equal(d.get('key_a')?.status, 'active', 'last good directory in force');
    assert.equal(d.get('key_typo'), undefined);
    assert.equal(metrics.counterValue('llm_audit_identity_reload_errors_total'), 1);
    writeFileSync(path, `keys:\n${entry('key_fixed')}`);
    await until(() => d.get('key_fixed') !== undefined);
    assert.equal(src.lastError, null);
  } finally {
    src.close();
  }
});

test('a first load that fails stops the start', async () => {
  const path = join(dir, 'ids3.yaml');
  writeFileSync(path, 'keys: [{ api_key_id: x }]');
  const src = new IdentityFileSource(new IdentityDirectory(), { path, pollMs: 100, defaultRotationDays: 90, logger });
  await assert.rejects(src.start(), /api_key_id x\): team is required/);
  src.close();
  await assert.rejects(new IdentityFileSource(new IdentityDirectory(), { path: join(dir, 'missing.yaml'), pollMs: 100, defaultRotationDays: 90, logger }).start(), /cannot be read/);
});
