import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialFormatsMarkdown } from './reference.js';


test('the credential reference lists at least 150 formats, each with its provider and how it is found', () => {
  const rows = credentialFormatsMarkdown().split('\n').filter((l) => /^\| `[a-z0-9_]+` \|/.test(l));
  assert.ok(rows.length >= 150, `${rows.length} formats`);
  for (const r of rows) {
    const cells = r.split(' | ');
    assert.ok(cells[1]!.trim().length > 0, `no provider: ${r}`);
    assert.match(cells[4] ?? '', /prefix|value next to|parsed/, `how it is found: ${r}`);
  }
});
