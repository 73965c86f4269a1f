import { sgNricOk } from '../validators.js';
import { defineEntity, idFinder, textFacts } from './registry.js';

export default defineEntity({
  type: 'SG_NRIC',
  rank: 64,
  description: 'Singapore NRIC (S, T) and FIN (F, G): a letter, 7 digits and a check letter.',
  validator: 'weights 2 7 6 5 4 3 2 (+4 for T and G), check letter from the series table',
  context: 'none',
  lookalike: 'S1234567A (wrong check letter)',
  find: idFinder({
    type: 'SG_NRIC',
    re: /(?<![A-Za-z0-9])[STFGstfg]\d{7}[A-Za-z](?![A-Za-z0-9])/g,
    ok: sgNricOk,
    gate: (text, ctx) => ctx.hasDigit && textFacts(text, ctx).run >= 7 && ctx.facts!.letterDigit && ctx.facts!.digitLetter,
  }),
  normalise: (raw) => raw.trim().toUpperCase(),
});
