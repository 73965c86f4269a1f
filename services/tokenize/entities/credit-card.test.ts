import { test } from 'node:test';
import { assertFinds, assertNone, randDigits, rng, withLuhn } from './testing.js';

const group = (d: string, g: number[]) => {
  const out: string[] = [];
  let i = 0;
  for (const n of g) out.push(d.slice(i, (i += n)));
  return out.join(' ');
};
// [network, prefix, length, printed grouping]
const NETWORKS: [string, string, number, number[]][] = [
  ['Visa 13', '4', 13, [4, 4, 5]],
  ['Visa 16', '4', 16, [4, 4, 4, 4]],
  ['Visa 19', '4', 19, [4, 4, 4, 4, 3]],
  ['Mastercard 51', '51', 16, [4, 4, 4, 4]],
  ['Mastercard 55', '55', 16, [4, 4, 4, 4]],
  ['Mastercard 2221', '2221', 16, [4, 4, 4, 4]],
  ['Mastercard 2720', '2720', 16, [4, 4, 4, 4]],
  ['Amex 34', '34', 15, [4, 6, 5]],
  ['Amex 37', '37', 15, [4, 6, 5]],
  ['Discover 6011', '6011', 16, [4, 4, 4, 4]],
  ['Discover 65', '65', 19, [4, 4, 4, 4, 3]],
  ['Discover 644', '644', 16, [4, 4, 4, 4]],
  ['Maestro 50 12', '50', 12, [4, 4, 4]],
  ['Maestro 56 13', '56', 13, [4, 4, 5]],
  ['Maestro 67 19', '67', 19, [4, 4, 4, 4, 3]],
  ['Maestro 69 16', '69', 16, [4, 4, 4, 4]],
  ['JCB 3528', '3528', 16, [4, 4, 4, 4]],
  ['JCB 3589 19', '3589', 19, [4, 4, 4, 4, 3]],
  ['JCB 1800', '1800', 15, [4, 4, 4, 3]],
  ['JCB 2131', '2131', 15, [4, 6, 5]],
  ['Diners 300', '300', 14, [4, 6, 4]],
  ['Diners 305', '305', 14, [4, 6, 4]],
  ['Diners 36', '36', 14, [4, 6, 4]],
  ['Diners 38', '38', 14, [4, 4, 4, 2]],
  ['Diners 39', '39', 14, [4, 6, 4]],
  ['UnionPay 62 16', '62', 16, [4, 4, 4, 4]],
  ['UnionPay 62 19', '62', 19, [6, 13]],
  ['Mir 2200', '2200', 16, [4, 4, 4, 4]],
];

for (const [name, prefix, len, grouping] of NETWORKS) {
  test(`CREDIT_CARD: ${name} grouped and bare`, () => {
    const r = rng(len * 31 + prefix.length + +prefix);
    for (let k = 0; k < 5; k++) {
      const d = withLuhn(prefix + randDigits(r, len - prefix.length - 1));
      const printed = group(d, grouping);
      assertFinds('CREDIT_CARD', `card ${printed} exp 12/29`, printed);
      assertFinds('CREDIT_CARD', `charged to card ${d}.`, d);
      assertFinds('CREDIT_CARD', `pay with card ${printed.replace(/ /g, '-')} today`, printed.replace(/ /g, '-'));
      if (len >= 14) assertFinds('CREDIT_CARD', `pay with ${printed} today`, printed);
    }
  });
}

test('CREDIT_CARD: look-alikes stay', () => {
  const r = rng(7);
  const d = withLuhn('4' + randDigits(r, 14));
  const bad = d.slice(0, -1) + ((+d.at(-1)! + 1) % 10);
  assertNone('CREDIT_CARD', `ref ${bad}`); // Luhn fails
  assertNone('CREDIT_CARD', 'ISBN 9780306406157 and 978-0-306-40615-7'); // Luhn-valid ISBN-13, no issuer 97
  assertNone('CREDIT_CARD', `epoch ${withLuhn('174160969612')}`); // ms timestamp, no issuer 1
  assertNone('CREDIT_CARD', `ref ${withLuhn('5' + randDigits(r, 10))}`); // 12 digits, Maestro range, no card word
  assertNone('CREDIT_CARD', `odd ${d.slice(0, 3)} ${d.slice(3, 10)} ${d.slice(10)}`); // not a printed grouping
  assertNone('CREDIT_CARD', `amex ${withLuhn('34' + randDigits(r, 13))}0`); // Amex with 16 digits
});
