import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseBirthDate } from './date-of-birth.js';
import { assertFinds, assertNone } from './testing.js';

const FIRES: [string, string][] = [
  ['DOB: 12/03/1985', '12/03/1985'],
  ['D.O.B. 1985-03-12', '1985-03-12'],
  ['born on 3 March 1985 in Leeds', '3 March 1985'],
  ['date of birth: March 3rd, 1985', 'March 3rd, 1985'],
  ['Geb. 03.04.1979', '03.04.1979'],
  ['geboren am 3. April 1979', '3. April 1979'],
  ['née le 12 mars 1985', '12 mars 1985'],
  ['fecha de nacimiento: 1 de marzo de 1985', '1 de marzo de 1985'],
  ['data di nascita 12/11/70', '12/11/70'],
  ['Date of birth (dd/mm/yyyy): 31/12/1999', '31/12/1999'],
  ['{"user_dob": "1985-03-15"}', '1985-03-15'],
  ['birth_date=1985-03-15&x=1', '1985-03-15'],
  ['dateOfBirth: 15-Mar-1985', '15-Mar-1985'],
  ['born 12th of March 1985', '12th of March 1985'],
];
for (const [text, value] of FIRES) test(`DATE_OF_BIRTH fires: ${text}`, () => assertFinds('DATE_OF_BIRTH', text, value));

test('DATE_OF_BIRTH look-alikes: dates without a birth cue, impossible dates, no date', () => {
  for (const t of ['due 2026-03-10', 'created 12/03/1985', 'DOB on file', 'DOB 31/02/1985', 'born 2999-01-01', 'born in 1985']) assertNone('DATE_OF_BIRTH', t);
});

test('DATE_OF_BIRTH tokens: one date, one token, however it is written (when unambiguous)', () => {
  for (const v of ['1985-03-15', '15/03/1985', '03/15/1985', '15.03.85', '15 March 1985', 'March 15th, 1985', '15. März 1985', '15-Mar-1985']) {
    assert.equal(normaliseBirthDate(v), '1985-03-15', v);
  }
  assert.equal(normaliseBirthDate('03/04/1985'), '03/04/1985'); // day and month cannot be told apart
});
