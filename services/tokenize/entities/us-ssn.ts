import { ssnOk } from '../validators.js';
import { findSpaced } from './spaced.js';
import { defineEntity, digitsOnly, eachMatch, textFacts } from './registry.js';

const SSN_DASH_RE = /(?<![\w./-]|\d[ ])(\d{3})-(\d{2})-(\d{4})(?!\w|[-/]\d)/g;
// A cue word, then up to a few words on the same line ("SSN on file", "tax_id=", "Social Security No. (primary):"),
// then nine digits with one separator used throughout: none, spaces (NBSP reads as one), '+' (a form body), '.', '-'.
const SSN_CTX_RE = /\b(?:ssn|ss#|social[ _-]?security(?:[ _-]?(?:number|num|no\.?|#))?|tax(?:payer)?[ _-]?id(?:entification)?(?:[ _-]?(?:number|no\.?))?)[^\d\n,;]{0,24}?(?<!\d)(\d{3})([ .+-]?)(\d{2})\2(\d{4})(?![\w-]|[.,]\d)/gi;

export default defineEntity({
  type: 'US_SSN',
  rank: 50,
  description: 'US social security number.',
  validator: 'area 001-899 except 666, group 01-99, serial 0001-9999',
  context: '`AAA-GG-SSSS` needs none; nine digits in a row, or grouped 3-2-4 by spaces, dots or `+`, need "SSN", "social security" or "tax id" at most a few words before on the same line',
  lookalike: '000-12-3456 666-12-3456 912-34-5678 123-00-4567',
  find: (text, out, ctx) => {
    if (!ctx.hasDigit) return;
    findSpaced('US_SSN', text, out, ctx);
    if (textFacts(text, ctx).chain >= 9) eachMatch(SSN_DASH_RE, text, (m) => {
      if (ssnOk(m[1]!, m[2]!, m[3]!)) out.push({ type: 'US_SSN', start: m.index, end: m.index + m[0].length });
    });
    eachMatch(SSN_CTX_RE, text, (m) => {
      if (!ssnOk(m[1]!, m[3]!, m[4]!)) return;
      const len = m[0].length - m[0].search(/\d/);
      out.push({ type: 'US_SSN', start: m.index + m[0].length - len, end: m.index + m[0].length });
    });
  },
  normalise: digitsOnly,
});
