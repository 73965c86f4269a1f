import { auAbnOk } from '../validators.js';
import { defineEntity, digitsOnly, idFinder, textFacts } from './registry.js';

export default defineEntity({
  type: 'AU_ABN',
  rank: 62,
  description: 'Australian business number, 11 digits printed 2-3-3-3.',
  validator: 'first digit minus one, weighted sum mod 89',
  context: 'none when printed 2-3-3-3; eleven digits in a row need ABN within 48 characters before',
  lookalike: 'ABN 51 824 753 557 (checksum fails)',
  find: idFinder({
    type: 'AU_ABN',
    re: /(?<![\w-]|\d[ -])\d{2}( ?)\d{3}\1\d{3}\1\d{3}(?![\w-]|[ -]\d)/g,
    cue: /(?:\babn|business number)\b[^\n]{0,30}$/i,
    cueOptional: (m) => m[1] !== '',
    ok: auAbnOk,
    gate: (text, ctx) => ctx.hasDigit && textFacts(text, ctx).chain >= 11,
  }),
  normalise: digitsOnly,
});
