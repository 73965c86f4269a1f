import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('US_SSN fires dashed, and bare after SSN', () => {
  assertFinds('US_SSN', 'ssn 078-05-1121 on file', '078-05-1121');
  assertFinds('US_SSN', 'SSN: 123456789', '123456789');
});
test('US_SSN look-alikes: ranges never issued; nine digits without SSN', () => {
  assertNone('US_SSN', '000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000 and row 123456789');
});

// made-up numbers in issued ranges
test('US_SSN grouped 3-2-4 by spaces, dots or form pluses, a few words after its cue on the same line', () => {
  assertFinds('US_SSN', 'ssn=231+47+5860&next=1', '231+47+5860');
  assertFinds('US_SSN', 'SSN on file 231 47 5860, thanks', '231 47 5860');
  assertFinds('US_SSN', 'Social Security No. (primary): 231.47.5860', '231.47.5860');
  assertFinds('US_SSN', 'tax_id=231 47 5860', '231 47 5860');
  assertFinds('US_SSN', 'Taxpayer ID number 231-47-5860', '231-47-5860');
  assertFinds('US_SSN', 'ssn#231475860', '231475860');
});
test('US_SSN look-alikes after a cue: mixed separators, another line, past a comma, too many digits, unissued', () => {
  assertNone('US_SSN', 'ssn 231 47-5860');
  assertNone('US_SSN', 'SSN field\n231 47 5860');
  assertNone('US_SSN', 'SSN: n/a, ref 231 47 5860');
  assertNone('US_SSN', 'ssn 231 47 58601 and ssn 231 47 5860.5');
  assertNone('US_SSN', 'SSN on file 666 47 5860 or 231 00 5860');
  assertNone('US_SSN', 'the SSN sheet has 231 rows, 47 columns and 5860 cells');
});
test('US_SSN in a token-shaped string we did not write: nine digits padded with hex letters', () => {
  assertFinds('US_SSN', 'x <US_SSN:k4:231475860abcdeff>', '231475860');
});
