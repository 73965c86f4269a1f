import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

const ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
function check(body: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = body.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 65;
    sum += i % 2 === 0 ? ODD[v]! : v;
  }
  return String.fromCharCode(65 + (sum % 26));
}
test('IT_FISCAL_CODE fires with the right check character (and omocodia)', () => {
  for (const body of ['RSSMRA85T10A562', 'BNCGVN70A01H501', 'VRDLGU80E45F205', 'RSSMRA85T10A56N']) {
    const cf = body + check(body);
    assertFinds('IT_FISCAL_CODE', `codice fiscale ${cf}.`, cf);
    assertFinds('IT_FISCAL_CODE', `cf: ${cf.toLowerCase()}`, cf.toLowerCase());
  }
});
test('IT_FISCAL_CODE look-alikes: wrong check character, bad month letter', () => {
  const body = 'RSSMRA85T10A562';
  const c = check(body);
  assertNone('IT_FISCAL_CODE', `cf ${body}${c === 'A' ? 'B' : 'A'}`);
  assertNone('IT_FISCAL_CODE', `cf RSSMRA85Z10A562${c}`);
});
