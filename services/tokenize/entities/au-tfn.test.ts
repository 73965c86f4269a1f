import { test } from 'node:test';
import { auTfnOk } from '../validators.js';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

function tfn(r: (n: number) => number): string {
  for (;;) {
    const b = randDigits(r, 8);
    for (let d = 0; d <= 9; d++) if (auTfnOk(b + d)) return b + d;
  }
}
test('AU_TFN fires after a TFN word', () => {
  const r = rng(15);
  for (let k = 0; k < 10; k++) {
    const t = tfn(r);
    const printed = `${t.slice(0, 3)} ${t.slice(3, 6)} ${t.slice(6)}`;
    assertFinds('AU_TFN', `TFN: ${printed}`, printed);
    assertFinds('AU_TFN', `tax file number ${t}`, t);
  }
});
test('AU_TFN look-alikes: checksum fails, no TFN word', () => {
  const t = tfn(rng(16));
  const bad = t.slice(0, 8) + ((+t[8]! + 1) % 10);
  if (!auTfnOk(bad)) assertNone('AU_TFN', `TFN ${bad}`);
  assertNone('AU_TFN', `TFN 123 456 789`);
  assertNone('AU_TFN', `ref ${t}`);
});
