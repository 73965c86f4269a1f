import { defineEntity, digitsOnly, idFinder } from './registry.js';

export default defineEntity({
  type: 'US_BANK_ACCOUNT',
  rank: 54,
  description: 'US bank account number (8-17 digits).',
  validator: 'none published (length only)',
  context: 'an account word right before (account number, acct, a/c, checking, savings, bank account); `account-id` / `account.id` (cloud account ids) do not count',
  lookalike: 'order 12345678901 and aws account-id: 911526942655',
  find: idFinder({
    type: 'US_BANK_ACCOUNT',
    re: /(?<![\w-]|\d[ -])\d{8,17}(?![\w-]|[ -]\d)/g,
    cue: /(?:bank account|account (?:number|no\.?|num|#)|acct\.?(?: ?(?:number|no\.?|#))?|a\/c(?: no\.?)?|checking(?: account)?|savings(?: account)?)[\s:#.]{0,4}$/i,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /account|acct|a\/c|checking|savings/i.test(text),
  }),
  normalise: digitsOnly,
});
