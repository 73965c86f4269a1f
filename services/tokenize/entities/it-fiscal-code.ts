import { itFiscalOk } from '../validators.js';
import { compactUpper, defineEntity, idFinder, textFacts } from './registry.js';

export default defineEntity({
  type: 'IT_FISCAL_CODE',
  rank: 58,
  description: 'Italian codice fiscale: 16 characters (surname, name, birth date and place, check character), omocodia variants included.',
  validator: 'shape (month letter, omocodia digits) + check character',
  context: 'none',
  lookalike: 'RSSMRA85T10A562X (wrong check character)',
  find: idFinder({
    type: 'IT_FISCAL_CODE',
    re: /(?<![A-Za-z0-9])[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z](?![A-Za-z0-9])/g,
    ok: itFiscalOk,
    // birth year, month letter, day: a cheap scan before the 16-character pattern
    gate: (text, ctx) => ctx.hasDigit && textFacts(text, ctx).digitLetter && ctx.facts!.letterDigit && /\d\d[A-Za-z]\d\d[A-Za-z]\d/.test(text),
  }),
  normalise: compactUpper,
});
