import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('US_ITIN fires after ITIN for every group range', () => {
  for (const g of ['50', '65', '70', '88', '90', '92', '94', '99']) assertFinds('US_ITIN', `ITIN: 912-${g}-3456`, `912-${g}-3456`);
  assertFinds('US_ITIN', 'taxpayer identification number 987 78 1234', '987 78 1234');
});
test('US_ITIN look-alikes: group out of range; no ITIN word', () => {
  assertNone('US_ITIN', 'ITIN 912-34-5678 and ITIN 912-93-5678');
  assertNone('US_ITIN', 'ticket 912-70-1234 closed');
});
