import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('US_SSN fires dashed, and bare after SSN', () => {
  assertFinds('US_SSN', 'ssn 078-05-1121 on file', '078-05-1121');
  assertFinds('US_SSN', 'SSN: 123456789', '123456789');
});
test('US_SSN look-alikes: ranges never issued; nine digits without SSN', () => {
  assertNone('US_SSN', '000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000 and row 123456789');
});
