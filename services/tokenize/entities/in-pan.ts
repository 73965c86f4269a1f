import { inPanOk } from '../validators.js';
import { defineEntity, idFinder, textFacts } from './registry.js';

export default defineEntity({
  type: 'IN_PAN',
  rank: 60,
  description: 'Indian permanent account number, `ABCPE1234F`.',
  validator: 'five letters (the fourth a holder type: P C H F A T B L J G K), four digits, a letter',
  context: 'none (upper case only)',
  lookalike: 'ABCDE1234F (D is not a holder type)',
  find: idFinder({
    type: 'IN_PAN',
    re: /(?<![A-Za-z0-9])[A-Z]{5}\d{4}[A-Z](?![A-Za-z0-9])/g,
    ok: inPanOk,
    gate: (text, ctx) => ctx.hasDigit && textFacts(text, ctx).letterDigit && ctx.facts!.digitUpper,
  }),
  normalise: (raw) => raw.trim().toUpperCase(),
});
