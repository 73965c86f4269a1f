import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('UK_NINO fires, spaced and compact', () => {
  assertFinds('UK_NINO', 'NI number AB 12 34 56 C please', 'AB 12 34 56 C');
  assertFinds('UK_NINO', 'nino=JG103759A;', 'JG103759A');
});
test('UK_NINO look-alikes stay: prefixes never issued, bad suffix', () => {
  for (const v of ['GB123456A', 'QQ 12 34 56 C', 'DA123456A', 'AO123456B', 'ZZ123456D', 'AB123456E']) assertNone('UK_NINO', `ref ${v}`);
});
