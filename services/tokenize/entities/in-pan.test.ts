import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('IN_PAN fires for each holder type', () => {
  for (const p of ['ABCPE1234F', 'AAACR5055K', 'BNZAA2318J']) assertFinds('IN_PAN', `PAN ${p}.`, p);
});
test('IN_PAN look-alikes: not a holder type, lower case, part of a longer code', () => {
  for (const t of ['ABCDE1234F', 'abcpe1234f', 'XABCPE1234F', 'ABCPE1234FG']) assertNone('IN_PAN', `code ${t}`);
});
