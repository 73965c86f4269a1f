import { compactUpper, defineEntity, idFinder } from './registry.js';

export default defineEntity({
  type: 'US_PASSPORT',
  rank: 52,
  description: 'US passport number: 9 digits (older books) or a letter and 8 digits (next-generation books).',
  validator: 'none published (format only)',
  context: 'a passport word within 48 characters before',
  lookalike: 'order 123456789 shipped',
  find: idFinder({
    type: 'US_PASSPORT',
    re: /(?<![\w-]|\d[ -])(?:[A-Z]\d{8}|\d{9})(?![\w-]|[ -]\d)/g,
    cue: /(?:passport|passeport|pasaporte|reisepass)\b[^\n]{0,30}$/i,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /passport|passeport|pasaporte|reisepass/i.test(text),
  }),
  normalise: compactUpper,
});
