import { auTfnOk } from '../validators.js';
import { defineEntity, digitsOnly, idFinder } from './registry.js';

export default defineEntity({
  type: 'AU_TFN',
  rank: 61,
  description: 'Australian tax file number, 8 or 9 digits (`123 456 782`).',
  validator: 'weighted sum mod 11',
  context: 'TFN / tax file number within 48 characters before',
  lookalike: 'TFN 123 456 789 (checksum fails)',
  find: idFinder({
    type: 'AU_TFN',
    re: /(?<![\w-]|\d[ -])\d{3}([ -]?)\d{3}\1\d{2,3}(?![\w-]|[ -]\d)/g,
    cue: /(?:\btfn|tax file (?:number|no|#))\b[^\n]{0,30}$/i,
    ok: auTfnOk,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /tfn|tax file/i.test(text),
  }),
  normalise: digitsOnly,
});
