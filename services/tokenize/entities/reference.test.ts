import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENTITY_TYPES } from './index.js';
import { entityReference } from './reference.js';

test('the entity reference lists every type once, in rank order', () => {
  const rows = entityReference().split('\n').filter((l) => l.startsWith('| `'));
  assert.deepEqual(rows.map((r) => /^\| `([A-Z_0-9]+)`/.exec(r)![1]), [...ENTITY_TYPES]);
});
