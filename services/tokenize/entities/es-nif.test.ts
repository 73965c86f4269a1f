import { test } from 'node:test';
import { assertFinds, assertNone, randDigits, rng } from './testing.js';

const L = 'TRWAGMYFPDXBNJZSQVHLCKE';
test('ES_NIF fires on DNI/NIF and NIE with the right letter', () => {
  const r = rng(12);
  for (let k = 0; k < 10; k++) {
    const n = randDigits(r, 8);
    assertFinds('ES_NIF', `DNI ${n}${L[+n % 23]}`, `${n}${L[+n % 23]}`);
    const x = randDigits(r, 7);
    const lead = 'XYZ'[k % 3]!;
    assertFinds('ES_NIF', `NIE ${lead}${x}${L[+(String(k % 3) + x) % 23]}.`, `${lead}${x}${L[+(String(k % 3) + x) % 23]}`);
  }
});
test('ES_NIF look-alike: wrong check letter stays', () => {
  const n = '12345678';
  const wrong = L[(+n % 23 + 1) % 23];
  assertNone('ES_NIF', `DNI ${n}${wrong}`);
});
