import { test } from 'node:test';
import { auAbnOk } from '../validators.js';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

function abn(r: (n: number) => number): string {
  for (;;) {
    const d = String(1 + r(9)) + randDigits(r, 10);
    if (auAbnOk(d)) return d;
  }
}
test('AU_ABN fires printed 2-3-3-3 and bare after ABN', () => {
  const r = rng(17);
  for (let k = 0; k < 5; k++) {
    const a = abn(r);
    const printed = `${a.slice(0, 2)} ${a.slice(2, 5)} ${a.slice(5, 8)} ${a.slice(8)}`;
    assertFinds('AU_ABN', `supplier ${printed}`, printed);
    assertFinds('AU_ABN', `ABN ${a}`, a);
  }
});
test('AU_ABN look-alikes: checksum fails; bare without ABN', () => {
  assertNone('AU_ABN', 'ABN 51 824 753 557');
  assertNone('AU_ABN', `order ${abn(rng(18))}`);
});
