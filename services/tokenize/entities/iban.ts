import { IBAN_LENGTHS, ibanOk } from '../validators.js';
import { findSpaced } from './spaced.js';
import { defineEntity, eachMatch, isAlnum, textFacts } from './registry.js';

// `_` bounds a value (`iban_DE89…`, `DE89…_old` are real IBANs in identifiers); hex request ids such as
// `req_be24…` are refused by the digits-only BBAN check instead
const IBAN_RE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,34}/g;

export default defineEntity({
  type: 'IBAN',
  rank: 30,
  description: 'International bank account number, compact or in groups of four.',
  validator: 'country length from the SWIFT registry, digits where its BBAN has only digits, ISO 13616 mod-97',
  context: 'none',
  lookalike: 'GB82 WEST 1234 5698 7654 33',
  find: (text, out, ctx) => {
    if (!ctx.hasDigit) return;
    findSpaced('IBAN', text, out, ctx);
    if (!textFacts(text, ctx).letterDigit) return;
    eachMatch(IBAN_RE, text, (m) => {
      const raw = m[0];
      const len = IBAN_LENGTHS[raw.slice(0, 2).toUpperCase()];
      if (!len) return m.index + 2;
      let n = 0;
      let i = 0;
      let compact = '';
      for (; i < raw.length && n < len; i++) {
        if (raw[i] !== ' ') {
          compact += raw[i];
          n++;
        }
      }
      const endAbs = m.index + i;
      if (n === len && !isAlnum(text.charCodeAt(endAbs)) && ibanOk(compact.toUpperCase())) {
        out.push({ type: 'IBAN', start: m.index, end: endAbs });
        return endAbs;
      }
      return m.index + 2;
    });
  },
  normalise: (raw) => raw.replace(/\s/g, '').toUpperCase(),
});
