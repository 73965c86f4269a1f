import { aadhaarOk } from '../validators.js';
import { defineEntity, digitsOnly, idFinder, textFacts } from './registry.js';

export default defineEntity({
  type: 'IN_AADHAAR',
  rank: 59,
  description: 'Indian Aadhaar number, 12 digits printed 4-4-4.',
  validator: 'first digit 2-9 + Verhoeff check digit',
  context: 'none when printed 4-4-4; twelve digits in a row need Aadhaar / UID within 48 characters before',
  lookalike: '2345 6789 0123 (Verhoeff fails)',
  find: idFinder({
    type: 'IN_AADHAAR',
    re: /(?<![\w-]|\d[ -])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\w-]|[ -]\d)/g,
    cue: /(?:aadhaa?r|\buid(?:ai)?|आधार)[^\n]{0,30}$/iu,
    cueOptional: (m) => m[1] !== '',
    ok: aadhaarOk,
    gate: (text, ctx) => ctx.hasDigit && textFacts(text, ctx).chain >= 12,
  }),
  normalise: digitsOnly,
});
