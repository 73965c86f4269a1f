import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ibanOk } from '../validators.js';
import { assertFinds, assertNone } from './testing.js';

/** `country` + mod-97 check digits + `bban`: a value that passes the checksum whatever its BBAN holds. */
function withCheck(country: string, bban: string): string {
  const digits = [...`${bban}${country}00`.toUpperCase()].map((c) => (c >= 'A' ? String(c.charCodeAt(0) - 55) : c)).join('');
  let rem = 0;
  for (const d of digits) rem = (rem * 10 + Number(d)) % 97;
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

test('IBAN fires grouped and compact', () => {
  assertFinds('IBAN', 'pay GB82 WEST 1234 5698 7654 32 now', 'GB82 WEST 1234 5698 7654 32');
  assertFinds('IBAN', 'pay DE89370400440532013000.', 'DE89370400440532013000');
  assertFinds('IBAN', 'iban=de89370400440532013000', 'de89370400440532013000');
  assertFinds('IBAN', '(BE68539007547034)', 'BE68539007547034');
  assertFinds('IBAN', `acct ${withCheck('GB', 'ABCD12345698765432')}`, withCheck('GB', 'ABCD12345698765432'));
});
test('IBAN look-alike: mod-97 fails', () => assertNone('IBAN', 'GB82 WEST 1234 5698 7654 33'));

test('IBAN look-alike: letters in a BBAN that has only digits (hex ids), checksum passing', () => {
  // made the way random hex ids hit: a country whose code is hex letters, two digits, hex, and mod-97 that happens to pass
  for (const [country, bban] of [['BE', 'b30021cf6019'], ['DE', '3704a0440532013000'], ['AE', '07033123456789f1234'], ['EE', '38220011020145a5']] as const) {
    const v = withCheck(country, bban.toUpperCase());
    assert.equal(ibanOk(v), false, v);
    assertNone('IBAN', `ref ${v.toLowerCase()} ok`);
    assertNone('IBAN', `ref ${v} ok`);
    assertNone('IBAN', `ref ${[...v].join(' ')} ok`);
  }
  assert.equal(ibanOk(withCheck('BE', '539007547034')), true);
});

test('IBAN look-alike: a hex request id glued by `_` is refused by its letters, a real IBAN glued by `_` is found', () => {
  const be = withCheck('BE', '539007547034').toLowerCase();
  // the review's leak: an IBAN in an identifier must still be tokenized
  assertFinds('IBAN', 'wire to iban_DE89370400440532013000 today', 'DE89370400440532013000');
  assertFinds('IBAN', 'acct DE89370400440532013000_old please', 'DE89370400440532013000');
  assertFinds('IBAN', `id req_${be} done`, be);
  assertNone('IBAN', `req_${withCheck('BE', 'b30021cf6019').toLowerCase()}`);
  assertFinds('IBAN', 'iban:DE89370400440532013000;', 'DE89370400440532013000');
  assertFinds('IBAN', 'iban-DE89370400440532013000', 'DE89370400440532013000');
});
