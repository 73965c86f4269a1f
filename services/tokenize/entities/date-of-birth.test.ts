import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseBirthDate } from './date-of-birth.js';
import { assertFinds, assertNone, found } from './testing.js';

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
  ['BDAY:1979-06-02', '1979-06-02'],
  ['my bday is 02.06.1979 lol', '02.06.1979'],
  ['födelsedatum: 2. 6. 1979', '2. 6. 1979'],
  ['生年月日：1979年6月2日', '1979年6月2日'],
  ['出生日期1979年06月02日，住址', '1979年06月02日'],
  ['DOB: 1979 年 6 月 2 日', '1979 年 6 月 2 日'],
  ['생년월일: 1979년 6월 2일', '1979년 6월 2일'],
  ['doğum tarihiniz 02.06.1979 olarak kayıtlı', '02.06.1979'],
  ['doğum günüm 2 June 1979', '2 June 1979'],
];
for (const [text, value] of FIRES) test(`DATE_OF_BIRTH fires: ${text}`, () => assertFinds('DATE_OF_BIRTH', text, value));

test('DATE_OF_BIRTH look-alikes: dates without a birth cue, impossible dates, no date', () => {
  for (const t of ['due 2026-03-10', 'created 12/03/1985', 'DOB on file', 'DOB 31/02/1985', 'born 2999-01-01', 'born in 1985', '注文日 2024年03月05日', '生年月日：1985年2月30日']) assertNone('DATE_OF_BIRTH', t);
});

test('DATE_OF_BIRTH in a table column headed by a birth cue, and only there', () => {
  const csv = 'name,dob,signed_up\nAnn Example,1979-06-02,2025-01-09\nBo Example,"14/11/1963",2024-12-30';
  assertFinds('DATE_OF_BIRTH', csv, '1979-06-02');
  assertFinds('DATE_OF_BIRTH', csv, '14/11/1963');
  for (const d of ['2025-01-09', '2024-12-30']) assert.ok(!found(csv).some((f) => f.value === d), `${d} is a sign-up date`);
  assertFinds('DATE_OF_BIRTH', 'Kunde\tGeburtsdatum\nK-1\t02.06.1979', '02.06.1979');
  assertNone('DATE_OF_BIRTH', 'order_date;amount\n2025-01-09;12,00'); // no birth column
  assertNone('DATE_OF_BIRTH', 'dob,x\nnot a date,1979-06-02'); // the date is in another column
});

test('DATE_OF_BIRTH in a Markdown table: header cells padded with spaces, separator row skipped', () => {
  const md = '| Name | Date of birth     | Joined |\n|:--|:--|:--|\n| Ann Example | 02.06.1979 | 2025-01-09 |\n| Bo Example | June 2, 1979 | 2024-12-30 |';
  assertFinds('DATE_OF_BIRTH', md, '02.06.1979');
  assertFinds('DATE_OF_BIRTH', md, 'June 2, 1979');
  for (const d of ['2025-01-09', '2024-12-30']) assert.ok(!found(md).some((f) => f.value === d), `${d} is a join date`);
  // a cue between commas in prose is no header: the lines below are not a table of its column
  assertNone('DATE_OF_BIRTH', 'where she was born, raised and\nmarried, in 1990-01-01 then');
});

test('DATE_OF_BIRTH: a megabyte of padded header cues stays linear', () => {
  const t = `| dob ${' '.repeat(30)}|\n`.repeat(1 << 15) + '| 1979-06-02 |';
  const t0 = performance.now();
  found(t);
  assert.ok(performance.now() - t0 < 3000, 'a quadratic scan of 32k header lines takes minutes');
});

test('DATE_OF_BIRTH tokens: one date, one token, however it is written (when unambiguous)', () => {
  for (const v of ['1985-03-15', '15/03/1985', '03/15/1985', '15.03.85', '15 March 1985', 'March 15th, 1985', '15. März 1985', '15-Mar-1985', '1985年3月15日', '1985년 03월 15일']) {
    assert.equal(normaliseBirthDate(v), '1985-03-15', v);
  }
  assert.equal(normaliseBirthDate('03/04/1985'), '03/04/1985'); // day and month cannot be told apart
});

// birth cues and month names in more languages (examples made up here, from each language's ordinary wording)
const LANGS: [string, string][] = [
  ['Pani Anna, urodzona 23 stycznia 1948, mieszka w Gdańsku', '23 stycznia 1948'],
  ['Britt, född 24 april 1998, bor i Umeå', '24 april 1998'],
  ['Ole, født 3. marts 1975', '3. marts 1975'],
  ['Ваша дата рождения 1952-01-26 указана в заявке', '1952-01-26'],
  ['родилась 12 марта 1985 года в Туле', '12 марта 1985'],
  ['дата народження: 05.02.1949', '05.02.1949'],
  ['η ημερομηνία γέννησής σας (12/10/1957) καταχωρίστηκε', '12/10/1957'],
  ['γεννήθηκε στις 4 Μαΐου 1961', '4 Μαΐου 1961'],
  ['თქვენი დაბადების თარიღია 13.07.1945.', '13.07.1945'],
  ['תאריך הלידה שלך 12.08.1965 נרשם במערכת', '12.08.1965'],
  ['tanggal lahir Anda tercatat 30 Mei 1944.', '30 Mei 1944'],
  ['narozena 3. května 1990 v Brně', '3. května 1990'],
  ['syntynyt 7. joulukuuta 1970', '7. joulukuuta 1970'],
  ['născută 9 noiembrie 1983', '9 noiembrie 1983'],
  ['ngày sinh 15/08/1992', '15/08/1992'],
];
for (const [text, value] of LANGS) test(`DATE_OF_BIRTH fires (languages): ${text}`, () => assertFinds('DATE_OF_BIRTH', text, value));

test('DATE_OF_BIRTH look-alikes in other languages: a date after a cue but in the next sentence, a date with no cue', () => {
  assertNone('DATE_OF_BIRTH', 'Britt är född i Umeå. Mötet är 2024-05-02.');
  assertNone('DATE_OF_BIRTH', 'заказ оформлен 12 марта 2024 года, доставка 1985-03-12 нет');
  assertNone('DATE_OF_BIRTH', 'my birthday party was great, and since then, on 2019-03-04, nothing');
});

test('DATE_OF_BIRTH in an SQL INSERT: the birth column of each VALUES tuple, not the other dates', () => {
  const sql = "INSERT INTO customers (id, created_at, first_name, date_of_birth) VALUES\n  (1, '2025-01-09', 'Ann', '1952-03-18'),\n  (2, '2024-12-30', 'O''Brien', '2002-07-07'),\n  (3, NOW(), 'Bo, Jr.', NULL);";
  assertFinds('DATE_OF_BIRTH', sql, '1952-03-18');
  assertFinds('DATE_OF_BIRTH', sql, '2002-07-07');
  for (const d of ['2025-01-09', '2024-12-30']) assert.ok(!found(sql).some((f) => f.value === d), `${d} is a sign-up date`);
  // the cue as the last column: the date right after it in the text is another column's
  const last = "INSERT INTO t (created, dob) VALUES ('2024-01-01', '1970-05-05')";
  assertFinds('DATE_OF_BIRTH', last, '1970-05-05');
  assert.ok(!found(last).some((f) => f.value === '2024-01-01'));
  // a tuple that never closes, and a megabyte of tuples, stay bounded
  assertNone('DATE_OF_BIRTH', "INSERT INTO t (dob, x) VALUES ('1970-05-05");
  const big = 'INSERT INTO t (dob) VALUES ' + "('1970-05-05'),".repeat(1 << 16) + "('1971-01-01');";
  const t0 = performance.now();
  found(big);
  assert.ok(performance.now() - t0 < 3000);
});

test('DATE_OF_BIRTH: a megabyte of SQL birth columns with no VALUES stays linear', () => {
  const t = 'INSERT INTO t (' + 'dob, '.repeat(1 << 18) + 'x)';
  const t0 = performance.now();
  found(t);
  assert.ok(performance.now() - t0 < 3000, 'a read back per cue over the whole list is quadratic');
});

test('DATE_OF_BIRTH in a fixed-width table: the dates that start under the birth column, not the others', () => {
  const t = 'Pupil            Born          Enrolled\nAnn Example      13.07.1995    2024-09-01\nBo Example       1998-11-23    2023-09-01\n\nNext term 2025-01-09';
  assertFinds('DATE_OF_BIRTH', t, '13.07.1995');
  assertFinds('DATE_OF_BIRTH', t, '1998-11-23');
  for (const d of ['2024-09-01', '2023-09-01', '2025-01-09']) assert.ok(!found(t).some((f) => f.value === d), `${d} is not a birth date`);
  // a cue in prose with a date below it at the same offset is no column
  assertNone('DATE_OF_BIRTH', 'where she was born and raised\n1990-01-01 was a Monday');
  // a megabyte of rows stays linear
  const big = 'name    dob\n' + 'x       1990-01-01\n'.repeat(1 << 16);
  const t0 = performance.now();
  found(big);
  assert.ok(performance.now() - t0 < 3000);
});

test('DATE_OF_BIRTH asked for on one line and answered at the start of the next; a birth word on a line that asks nothing stays apart', () => {
  assertFinds('DATE_OF_BIRTH', 'agent: can i take your date of birth please\ncaller: it\'s 20 october 1961\nagent: thanks', '20 october 1961');
  assertFinds('DATE_OF_BIRTH', 'What is your DOB?\n12/03/1985', '12/03/1985');
  for (const t of ['Born in Spain\n2024-05-01 meeting', 'date of birth please\n\nMeeting notes from the kickoff on 2024-05-01', 'DOB is required?\nThe release on 2024-05-01 ships it']) assertNone('DATE_OF_BIRTH', t);
});
