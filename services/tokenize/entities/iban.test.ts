import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('IBAN fires grouped and compact', () => {
  assertFinds('IBAN', 'pay GB82 WEST 1234 5698 7654 32 now', 'GB82 WEST 1234 5698 7654 32');
  assertFinds('IBAN', 'pay DE89370400440532013000.', 'DE89370400440532013000');
});
test('IBAN look-alike: mod-97 fails', () => assertNone('IBAN', 'GB82 WEST 1234 5698 7654 33'));
