import { nhsOk } from '../validators.js';
import { defineEntity, digitsOnly, idFinder } from './registry.js';

export default defineEntity({
  type: 'UK_NHS',
  rank: 55,
  description: 'UK NHS number, 10 digits, usually printed 3-3-4.',
  validator: 'NHS mod-11 check digit',
  context: 'NHS / health (service) number within 48 characters before (3-3-4 is also a North American phone shape)',
  lookalike: 'ticket 943 476 5919 (valid check digit, no NHS word)',
  find: idFinder({
    type: 'UK_NHS',
    re: /(?<![\w-]|\d[ -])\d{3}([ -]?)\d{3}\1\d{4}(?![\w-]|[ -]\d)/g,
    cue: /(?:\bnhs|national health service|health (?:service |care )?(?:no|number|#)|chi number)\b[^\n]{0,30}$/i,
    ok: nhsOk,
    // the context word is required: documents without it are not scanned
    gate: (text, ctx) => ctx.hasDigit && /nhs|health|chi number/i.test(text),
  }),
  normalise: digitsOnly,
});
