import { test } from 'node:test';
import { verhoeffOk } from '../validators.js';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

function aadhaar(r: (n: number) => number): string {
  const body = String(2 + r(8)) + randDigits(r, 10);
  for (let d = 0; d <= 9; d++) if (verhoeffOk(body + d)) return body + d;
  throw new Error('no Verhoeff digit');
}
test('IN_AADHAAR fires when printed 4-4-4, and bare after an Aadhaar word', () => {
  const r = rng(13);
  for (let k = 0; k < 10; k++) {
    const a = aadhaar(r);
    const printed = `${a.slice(0, 4)} ${a.slice(4, 8)} ${a.slice(8)}`;
    assertFinds('IN_AADHAAR', `my number ${printed}`, printed);
    assertFinds('IN_AADHAAR', `Aadhaar: ${a}`, a);
  }
});
test('IN_AADHAAR look-alikes: Verhoeff fails, leading 1, bare without the word', () => {
  const a = aadhaar(rng(14));
  const bad = a.slice(0, 11) + ((+a[11]! + 1) % 10);
  assertNone('IN_AADHAAR', `id ${bad.slice(0, 4)} ${bad.slice(4, 8)} ${bad.slice(8)}`);
  assertNone('IN_AADHAAR', `id 1${a.slice(1, 4)} ${a.slice(4, 8)} ${a.slice(8)}`);
  assertNone('IN_AADHAAR', `row ${a} loaded`);
});
