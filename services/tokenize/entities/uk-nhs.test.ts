import { test } from 'node:test';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

function nhs(r: (n: number) => number): string {
  for (;;) {
    const b = randDigits(r, 9);
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += +b[i]! * (10 - i);
    const c = 11 - (sum % 11);
    if (c !== 10) return b + (c === 11 ? 0 : c);
  }
}
test('UK_NHS fires on valid numbers after an NHS word', () => {
  const r = rng(10);
  for (let k = 0; k < 10; k++) {
    const d = nhs(r);
    const printed = `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6)}`;
    assertFinds('UK_NHS', `NHS number: ${printed}`, printed);
    assertFinds('UK_NHS', `nhs no ${d}`, d);
  }
});
test('UK_NHS look-alikes stay', () => {
  const d = nhs(rng(11));
  const bad = d.slice(0, 9) + ((+d[9]! + 1) % 10);
  assertNone('UK_NHS', `NHS number ${bad}`);
  assertNone('UK_NHS', `ticket ${d} closed`); // valid checksum, no NHS word
});
