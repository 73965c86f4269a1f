import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('EMAIL fires on tagged, sub-domain and internationalised addresses', () => {
  assertFinds('EMAIL', 'write to Mary.Poppins+news@sub.example.co.uk today', 'Mary.Poppins+news@sub.example.co.uk');
  assertFinds('EMAIL', 'contact: <o.neil@example.org>', 'o.neil@example.org');
  assertFinds('EMAIL', 'josé.müller@bücher.de', 'josé.müller@bücher.de');
});
test('EMAIL look-alikes: package specs and scoped packages', () => assertNone('EMAIL', 'install left-pad@1.3.0 and @types/node'));
test('EMAIL next to runs of @ and undotted domains (the domain is read first)', () => {
  assertFinds('EMAIL', '@@@ ana.lee@example.net @@@', 'ana.lee@example.net');
  assertFinds('EMAIL', 'x@y@mail.example.org', 'y@mail.example.org');
  assertFinds('EMAIL', 'cut off: ana.lee@example', 'ana.lee@example');
  assertNone('EMAIL', 'aeopcyx@aeopcyx@aeopcyx and a @ b and @@@@');
});
