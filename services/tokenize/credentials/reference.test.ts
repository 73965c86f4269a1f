import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../common/paths.js';
import { credentialFormatsMarkdown, REFERENCE_PATH } from './reference.js';

test('docs/reference/credential-formats.md is the one the rules generate', () => {
  const onDisk = readFileSync(join(repoRoot(), REFERENCE_PATH), 'utf8');
  assert.equal(onDisk, credentialFormatsMarkdown(), 'stale: run `npm run docs:secrets`');
});
