import { auMedicareOk } from '../validators.js';
import { defineEntity, digitsOnly, idFinder } from './registry.js';

export default defineEntity({
  type: 'AU_MEDICARE',
  rank: 63,
  description: 'Australian Medicare card number, 10 digits (`2123 45670 1`), optionally with the 1-digit individual reference.',
  validator: 'first digit 2-6, weighted check digit (1 3 7 9 1 3 7 9 mod 10), issue number not 0',
  context: 'Medicare within 48 characters before',
  lookalike: 'Medicare 2123 45671 1 (check digit fails)',
  find: idFinder({
    type: 'AU_MEDICARE',
    re: /(?<![\w-]|\d[ -])[2-6]\d{3} ?\d{5} ?\d(?:[ /-]?\d)?(?![\w-]|[ -]\d)/g,
    cue: /medicare\b[^\n]{0,30}$/i,
    ok: auMedicareOk,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /medicare/i.test(text),
  }),
  normalise: digitsOnly,
});
