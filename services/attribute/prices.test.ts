import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PriceTable } from './prices.js';

test('shipped prices cover the common models; versions and provider prefixes resolve by longest prefix', () => {
  const p = PriceTable.load();
  assert.deepEqual(p.lookup('gpt-4o-mini-2024-07-18'), p.lookup('gpt-4o-mini'));
  assert.notDeepEqual(p.lookup('gpt-4o-mini'), p.lookup('gpt-4o'));
  assert.deepEqual(p.lookup('azure/gpt-4o'), p.lookup('gpt-4o'));
  assert.equal(p.lookup('llama-3-70b'), undefined);
  // 1000 in + 500 out of gpt-4o at 0.0025 / 0.01 per 1k
  assert.equal(p.cost('gpt-4o', 1000, 500, 200), 0.0075);
  assert.equal(p.cost('gpt-4o', 1000, 500, 401), 0, 'failed calls are not billed');
  assert.equal(p.cost('llama-3-70b', 1000, 500, 200), undefined);
});

test('an override file replaces and adds models; a malformed one fails with a message', () => {
  const dir = mkdtempSync(join(tmpdir(), 'llm-audit-prices-'));
  const f = join(dir, 'p.yaml');
  writeFileSync(f, 'models:\n  gpt-4o: { input: 1, output: 2 }\n  my-finetune: { input: 0.5, output: 0.5 }\n');
  const p = PriceTable.load(f);
  assert.equal(p.cost('gpt-4o', 1000, 1000, 200), 3);
  assert.equal(p.cost('my-finetune', 2000, 0, 200), 1);
  assert.ok(p.lookup('o3-mini'), 'defaults stay');
  writeFileSync(f, 'models:\n  gpt-4o: { input: cheap }\n');
  assert.throws(() => PriceTable.load(f), /model gpt-4o must be/);
});
