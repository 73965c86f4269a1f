import { test } from 'node:test';
import { assertFinds, assertNone } from './testing.js';

test('US_BANK_ACCOUNT fires after an account word', () => {
  assertFinds('US_BANK_ACCOUNT', 'account number: 12345678901', '12345678901');
  assertFinds('US_BANK_ACCOUNT', 'checking acct # 000123456789', '000123456789');
  assertFinds('US_BANK_ACCOUNT', 'wire to a/c 9876543210', '9876543210');
});
test('US_BANK_ACCOUNT look-alikes: no account word; cloud account ids', () => {
  assertNone('US_BANK_ACCOUNT', 'order 12345678901 shipped');
  assertNone('US_BANK_ACCOUNT', 'aws account-id: 911526942655 and app.account.id=319557142863');
});
