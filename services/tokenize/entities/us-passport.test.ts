import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('US_PASSPORT fires after a passport word', () => {
  assertFinds('US_PASSPORT', 'US passport no. 123456789', '123456789');
  assertFinds('US_PASSPORT', 'Passport: A12345678 (expires 2031)', 'A12345678');
});
test('US_PASSPORT look-alikes: no passport word; a longer number', () => {
  assertNone('US_PASSPORT', 'order 123456789 shipped');
  assertNone('US_PASSPORT', 'passport office ticket 1234567890');
});
