import { test } from 'node:test';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

function nric(prefix: string, digits: string): string {
  const w = [2, 7, 6, 5, 4, 3, 2];
  let s = 0;
  for (let i = 0; i < 7; i++) s += +digits[i]! * w[i]!;
  if (prefix === 'T' || prefix === 'G') s += 4;
  return prefix + digits + (prefix === 'S' || prefix === 'T' ? 'JZIHGFEDCBA' : 'XWUTRQPNMLK')[s % 11];
}
test('SG_NRIC fires for S, T, F and G series', () => {
  const r = rng(21);
  for (const p of ['S', 'T', 'F', 'G']) {
    const v = nric(p, randDigits(r, 7));
    assertFinds('SG_NRIC', `NRIC ${v}.`, v);
  }
  assertFinds('SG_NRIC', 'nric S1234567D', 'S1234567D');
});
test('SG_NRIC look-alike: wrong check letter', () => {
  assertNone('SG_NRIC', 'ref S1234567A and T1234567Z');
});
