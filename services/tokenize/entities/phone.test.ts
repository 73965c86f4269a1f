import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertFinds, assertNone, found } from './testing.js';

// national formats with and without a phone word, from several numbering plans (made-up numbers)
const FIRES: [string, string][] = [
  ['call me on 71-33-52-22 tomorrow', '71-33-52-22'],
  ['numbers: 9469 9966', '9469 9966'],
  ['(37) 788-063 is the office line', '(37) 788-063'],
  ['07700 063 966', '07700 063 966'],
  ['+1-604-696-5272x565', '+1-604-696-5272x565'],
  ['mob. 99 577450', '99 577450'],
  ['Fax: 020 7946 0958', '020 7946 0958'],
  ['Desk: (212) 555-0199 ext. 42', '(212) 555-0199 ext. 42'],
  ['Office 0161 496 0000', '0161 496 0000'],
  ['Tel.: 089 12345678', '089 12345678'],
  ['Kontakt: 030 12345678', '030 12345678'],
  ['Mon numéro est le 06 12 34 56 78', '06 12 34 56 78'],
  ['whatsapp 612 345 678', '612 345 678'],
  ['reach Priya at 98765 43210 tonight', '98765 43210'],
  ['from abroad 0044 20 7946 0958', '0044 20 7946 0958'],
  ['UK +44 (0) 20 7946 0958', '+44 (0) 20 7946 0958'],
  ['compact +447700900123 ok', '+447700900123'],
  ['call +1 (415) 555-0142 ext 7', '+1 (415) 555-0142 ext 7'],
  ['US 212.555.0199 or', '212.555.0199'],
  ['id,name,phone\n1,Ana,612 345 678,Madrid', '612 345 678'],
  ['2,Bo,9469 9966,Singapore', '9469 9966'],
  ['3,Li,(37) 788-063,Kaunas', '(37) 788-063'],
  // a form field or config assignment: the '=' glued to a key is no arithmetic
  ['msisdn=+1 303 697 1842&lang=en', '+1 303 697 1842'],
  ['to=+44-7700-900461', '+44-7700-900461'],
  // digits alone need a phone word on the same line
  ['phone 3036971842', '3036971842'],
  ['contact.phone=+33 6 12 34 56 78', '+33 6 12 34 56 78'],
  // a phone word glued to an identifier by '_' is a field name
  ['CUSTOMER_PHONE = "3036971842"', '3036971842'],
  ['home_tel=3036971842', '3036971842'],
  ['phone_number: 3036971842', '3036971842'],
  // phone words in scripts \b does not see, and a plan outside the defaults after them
  ['手机：13912345678', '13912345678'],
  ['联系电话13812345678。', '13812345678'],
];
for (const [text, value] of FIRES) test(`PHONE fires: ${text}`, () => assertFinds('PHONE', text, value));

const STAYS: string[] = [
  'batch 98765 43210 rows',
  'due 2026-03-10 and 10/03/2026 and 10.03.2026',
  'ISBN 978-0-306-40615-7 and ISBN 0-306-40615-2',
  'upgrade to v2.14.3 or 10.2.3.4-beta',
  'order 12345678 and invoice 3459-010977-59670',
  'I have 1234 5678 apples',
  '529 * 392 = 65616 and 1234567 + 7654321',
  '17 * 3 = 303 697 1842 and x=303 697 1842',
  'bare 3036971842 and phone\n3036971842 and phone 303697184212345',
  'total $1,234,567 and €1.234.567,89',
  'epoch 1741609696123',
  'port 8080 pid 12345678',
  '12 345 678 users',
  'in 2024 1234 people came',
  'Copyright (c) 2014-2017 and 1999 - 2004',
  'host 81.2.69.160 answered, block 2.17.80.0/20',
  'Progress note (09/04/2026) and (2026-04-09)',
  'order_number 4155550100 and cell_count 4155550100 and iphone_build 4155550100',
  '订单号 13812345678',
  // postcodes before their city, with a phone word further back
  'home: Rua Augusta 100, 1100-053 Lisboa',
  'call the home office, CEP 01310-100 São Paulo',
];
for (const text of STAYS) test(`PHONE stays quiet: ${text}`, () => assertNone('PHONE', text));

test('PHONE tokens: the same line with or without an extension or separators is one token', async () => {
  const { normalise } = await import('../tokens.js');
  const a = normalise('PHONE', '+1-604-696-5272x565');
  assert.equal(a, normalise('PHONE', '+1 604 696 5272'));
  assert.equal(a, normalise('PHONE', '+1 (604) 696-5272 ext. 12'));
  assert.equal(normalise('PHONE', '(212) 555-0199'), normalise('PHONE', '+1 212 555 0199'));
});

test('PHONE inside a token-shaped string we did not write: a digit run padded with hex letters', () => {
  assertFinds('PHONE', 'note: <EMAIL:k7:3036971842abcfed>', '3036971842');
  assertFinds('PHONE', 'mobile=<PHONE:v3:9845123376eeffab>', '9845123376');
  // random hex, digits and letters mixed, stays as it is
  assertNone('PHONE', '<EMAIL:k7:30369e1842abcfed> <PHONE:v3:9845123376eeff1b>');
});

test('PHONE with the country code in parentheses and a long national group', () => {
  assertFinds('PHONE', 'WhatsApp (+44) 7911123456 after six', '(+44) 7911123456');
  assertFinds('PHONE', 'Mobile: (+33) 0612345678', '(+33) 0612345678');
});

test('PHONE in a table column headed by a phone word, digits alone, and only in that column', () => {
  const csv = 'name,phone,customer_id\nAnn Example,3036971842,4155550100\nBo Example,"4155550123",2125550100';
  assertFinds('PHONE', csv, '3036971842');
  assertFinds('PHONE', csv, '4155550123');
  for (const id of ['4155550100', '2125550100']) assert.ok(!found(csv).some((f) => f.type === 'PHONE' && f.value === id), `${id} is a customer id`);
  assertFinds('PHONE', '| Name | Mobile phone |\n|---|---|\n| Ann | 3036971842 |', '3036971842');
  assertFinds('PHONE', 'Kunde\tTelefon\nK-1\t301234567', '301234567');
  // a number column is no phone column
  assertNone('PHONE', 'order,number,qty\nA-1,4155550100,2');
});

test('PHONE stays quiet on ids written with a hash', () => {
  for (const t of ['invoice #48812-7730 is paid', 'see ticket #612345678', 'PR #20461234 merged']) assertNone('PHONE', t);
});

test('PHONE still fires on 4-3 and 5-4 groups that are not before a city', () => {
  assertFinds('PHONE', 'Tel: 3251-5470', '3251-5470');
  assertFinds('PHONE', 'home phone 1234-567, ask for Ana', '1234-567');
});

test('PHONE in an SQL INSERT: the phone column of each tuple, whatever the plan; other columns stay', () => {
  const sql = "INSERT INTO customers (id, first_name, phone, postcode) VALUES (1, 'Ann', '201-419-075', '10115'), (2, 'Bo', '27288744', '75002');";
  assertFinds('PHONE', sql, '201-419-075');
  assertFinds('PHONE', sql, '27288744');
  assertNone('PHONE', "INSERT INTO t (id, qty) VALUES (7, '201-419-075')");
});

test('PHONE after a phone word: digits grouped as phones are, in any plan (Georgia, China), not other shapes', () => {
  assertFinds('PHONE', 'callback please on 511-754-922, after 19:40', '511-754-922');
  assertFinds('PHONE', 'Phone: 587-0907-5041', '587-0907-5041');
  for (const t of ['phone 2024-05-01', 'phone: 12345678901234', 'tel: 12345-67890-12345']) assertNone('PHONE', t);
});

test('PHONE in a fixed-width table: the numbers under a phone column header (any words before "phone"), not the others', () => {
  const t = 'Pupil            Guardian phone    Locker\nAnn Example      27288744          48213371\nBo Example       801-1102-7163     77120934';
  assertFinds('PHONE', t, '27288744');
  assertFinds('PHONE', t, '801-1102-7163');
  for (const d of ['48213371', '77120934']) assert.ok(!found(t).some((f) => f.value === d), `${d} is a locker number`);
});

test('PHONE stays quiet on a date and time after a phone word (the hour runs into ":36")', () => {
  for (const t of ['Call log — 2024-01-11 11:36 — rep: Ann', 'Phone call 2025-03-02 09:15 logged', 'tel. 2024-01-11 11:36']) assertNone('PHONE', t);
});
