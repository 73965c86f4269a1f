import { test } from 'node:test';
import { assertFinds, assertNone, randDigits, rng, withLuhn } from './testing.js';

const spaceOut = (s: string, groups?: number[]) => {
  if (!groups) return [...s].join(' ');
  const out: string[] = [];
  let i = 0;
  for (const g of groups) out.push([...s.slice(i, (i += g))].join(' '));
  return out.join('  ');
};

test('values typed one character at a time are found as their type', () => {
  const card = withLuhn('4' + randDigits(rng(5), 14));
  assertFinds('CREDIT_CARD', `CARD NUMBER ${spaceOut(card, [4, 4, 4, 4])}`, spaceOut(card, [4, 4, 4, 4]));
  assertFinds('CREDIT_CARD', `charge ${spaceOut(card)} please`, spaceOut(card));
  assertFinds('US_SSN', `ssn: ${spaceOut('463980266', [3, 2, 4])},`, spaceOut('463980266', [3, 2, 4]));
  assertFinds('US_SSN', `SSN on file ${spaceOut('197323106')}`, spaceOut('197323106'));
  assertFinds('IBAN', `IBAN ${spaceOut('GB82WEST12345698765432')}`, spaceOut('GB82WEST12345698765432'));
  assertFinds('PHONE', `TEL +1 ${spaceOut('6719526108')}`, `+1 ${spaceOut('6719526108')}`);
  assertFinds('PHONE', `call ${spaceOut('4974068862', [3, 3, 4])}`, spaceOut('4974068862', [3, 3, 4]));
});

test('spaced look-alikes stay: a failed Luhn, nine digits without SSN, spaced words', () => {
  const card = withLuhn('4' + randDigits(rng(6), 14));
  const bad = card.slice(0, -1) + ((+card.at(-1)! + 1) % 10);
  assertNone('CREDIT_CARD', `ref ${spaceOut(bad)}`);
  assertNone('US_SSN', `grid ${spaceOut('197323106')}`);
  assertNone('PHONE', 'the letters a b c d e f g h i j and 1 2 3 4 5 6 7 8 9');
});
