import { esNifOk } from '../validators.js';
import { compactUpper, defineEntity, idFinder, textFacts } from './registry.js';

export default defineEntity({
  type: 'ES_NIF',
  rank: 57,
  description: 'Spanish DNI/NIF (8 digits and a letter) and NIE (X, Y or Z, 7 digits and a letter).',
  validator: 'check letter = number mod 23 (TRWAGMYFPDXBNJZSQVHLCKE)',
  context: 'none',
  lookalike: 'DNI 12345678A (wrong letter)',
  find: idFinder({
    type: 'ES_NIF',
    re: /(?<![A-Za-z0-9-])(?:[XYZ][- ]?\d{7}|\d{8})[- ]?[A-Z](?![A-Za-z0-9])/g,
    ok: esNifOk,
    // every value has a digit then (a dash or space and) a capital: a text of digits alone is skipped in one scan
    gate: (text, ctx) => ctx.hasDigit && textFacts(text, ctx).run >= 7 && ctx.facts!.digitUpper && /\d[- ]?[A-Z]/.test(text),
  }),
  normalise: compactUpper,
});
