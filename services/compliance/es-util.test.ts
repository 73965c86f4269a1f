import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '@elastic/elasticsearch';
import { isRetriable } from '../common/errors.js';
import { esError } from './es-util.js';

test('esError: nothing answered (no status, the client\'s 0), 429 and 5xx may pass; other 4xx will not', () => {
  // what the client throws when every node of its pool is marked dead: statusCode 0
  const noLiving = new errors.ConnectionError('There are no living connections', { body: undefined, statusCode: 0, headers: {}, warnings: null, meta: {} as never });
  const cases: [unknown, boolean][] = [
    [noLiving, true],
    [new Error('socket hang up'), true],
    [{ meta: { statusCode: 429 } }, true],
    [{ meta: { statusCode: 503 } }, true],
    [{ meta: { statusCode: 400, body: { error: { reason: 'bad mapping' } } } }, false],
    [{ meta: { statusCode: 404 } }, false],
  ];
  for (const [err, retriable] of cases) assert.equal(isRetriable(esError('GET _ilm/status', err)), retriable, JSON.stringify((err as { meta?: unknown }).meta ?? String(err)));
  assert.match(esError('GET _ilm/status', { meta: { statusCode: 400, body: { error: { reason: 'bad mapping' } } } }).message, /answered 400: bad mapping/);
});
