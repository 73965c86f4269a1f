import { test } from 'node:test';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

function medicare(r: (n: number) => number): string {
  const b = String(2 + r(5)) + randDigits(r, 7);
  const w = [1, 3, 7, 9, 1, 3, 7, 9];
  let s = 0;
  for (let i = 0; i < 8; i++) s += +b[i]! * w[i]!;
  return b + (s % 10) + (1 + r(9));
}
test('AU_MEDICARE fires after Medicare', () => {
  const r = rng(19);
  for (let k = 0; k < 10; k++) {
    const m = medicare(r);
    const printed = `${m.slice(0, 4)} ${m.slice(4, 9)} ${m[9]}`;
    assertFinds('AU_MEDICARE', `Medicare card ${printed}`, printed);
    assertFinds('AU_MEDICARE', `medicare no. ${m}`, m);
  }
});
test('AU_MEDICARE look-alikes: check digit fails, no Medicare word', () => {
  const m = medicare(rng(20));
  const bad = m.slice(0, 8) + ((+m[8]! + 1) % 10) + m[9];
  assertNone('AU_MEDICARE', `Medicare ${bad}`);
  assertNone('AU_MEDICARE', `invoice ${m}`);
});
