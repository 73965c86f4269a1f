import { usItinOk } from '../validators.js';
import { defineEntity, digitsOnly, idFinder } from './registry.js';

export default defineEntity({
  type: 'US_ITIN',
  rank: 51,
  description: 'US individual taxpayer identification number, `9XX-YY-ZZZZ`.',
  validator: 'first digit 9, group 50-65, 70-88, 90-92 or 94-99',
  context: 'ITIN / taxpayer identification / tax id within 48 characters before',
  lookalike: 'ticket 912-34-5678 closed',
  find: idFinder({
    type: 'US_ITIN',
    re: /(?<![\w-]|\d[ -])9\d{2}([- ]?)\d{2}\1\d{4}(?![\w-]|[ -]\d)/g,
    cue: /(?:\bitin|taxpayer id(?:entification)?|tax id(?:entification)?)\b[^\n]{0,30}$/i,
    ok: usItinOk,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /itin|taxpayer|tax id/i.test(text),
  }),
  normalise: digitsOnly,
});
