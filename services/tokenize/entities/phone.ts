import { defineEntity, eachMatch, isAlnum, isDigit, type Candidate } from './registry.js';

const NANP_RE = /(?<![\w+./-]|\d[ ])(?:1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w]|[-./]\d)/g;
const FR_RE = /(?<![\w+./-]|\d[ ])0[1-9](?:[ .]\d{2}){4}(?![\w]|[-./]\d)/g;
const NATIONAL_RE = /(?<![\w+./-]|\d[ ])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ .-]\d{2,8}){1,4}(?![\w]|[-./]\d)|(?<![\w+./-])0\d{8,11}(?![\w])/g;
const PHONE_CUE = /(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text|contact|reach|number|ring|ph|mob|nummer|telefon|rufnummer|handy|num[ée]ro|n[úu]mero|t[ée]l[ée]phone|portable|m[óo]vil|cellulare|☎)\b[^\n]{0,30}$/i;
const IN_MOBILE_RE = /(?<![\w+./-]|\d[ ])[6-9]\d{4}[ -]?\d{5}(?![\w]|[-./]\d)/g;

function findIntlPhones(text: string, out: Candidate[]): void {
  let p = text.indexOf('+');
  while (p !== -1) {
    const prev = p > 0 ? text.charCodeAt(p - 1) : 32;
    if (!isAlnum(prev) && prev !== 43 && prev !== 95 && isDigit(text.charCodeAt(p + 1))) {
      let i = p + 1;
      let digits = 0;
      let lastDigitEnd = -1;
      let paren = false;
      let sepRun = 0;
      while (i < text.length && i - p < 28) {
        const c = text.charCodeAt(i);
        if (isDigit(c)) {
          digits++;
          sepRun = 0;
          lastDigitEnd = i + 1;
        } else if ((c === 32 || c === 45 || c === 46) && sepRun === 0 && digits > 0) sepRun++;
        else if (c === 40 && !paren && sepRun <= 1) { paren = true; sepRun = 1; }
        else if (c === 41 && paren && sepRun === 0) sepRun = 0;
        else break;
        i++;
      }
      const next = lastDigitEnd < text.length ? text.charCodeAt(lastDigitEnd) : 32;
      const cc1 = text[p + 1] === '1';
      const ok = lastDigitEnd !== -1 && digits >= 8 && digits <= 15 && !isAlnum(next) && (!cc1 || digits === 11) &&
        !(next === 46 && isDigit(text.charCodeAt(lastDigitEnd + 1)));
      if (ok) {
        out.push({ type: 'PHONE', start: p, end: lastDigitEnd });
        p = text.indexOf('+', lastDigitEnd);
        continue;
      }
    }
    p = text.indexOf('+', p + 1);
  }
}

export default defineEntity({
  type: 'PHONE',
  rank: 80,
  description: 'Telephone numbers, international and national.',
  validator: 'shape',
  context: 'national formats need a phone word',
  lookalike: 'batch 98765 43210 rows',
  find: (text, out, ctx) => {
    if (!ctx.hasDigit) return;
    if (text.indexOf('+') !== -1) findIntlPhones(text, out);
    eachMatch(NANP_RE, text, (m) => void out.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length }));
    eachMatch(FR_RE, text, (m) => void out.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length }));
    eachMatch(NATIONAL_RE, text, (m) => {
      const digits = m[0].replace(/\D/g, '').length;
      if (digits < 9 || digits > 12) return;
      if (PHONE_CUE.test(text.slice(Math.max(0, m.index - 40), m.index))) out.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length });
    });
    eachMatch(IN_MOBILE_RE, text, (m) => {
      if (PHONE_CUE.test(text.slice(Math.max(0, m.index - 40), m.index))) out.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length });
    });
  },
  normalise: (raw) => {
    const d = raw.replace(/\D/g, '');
    if (raw.trimStart().startsWith('+')) return `+${d}`;
    if (d.length === 10 && /^\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$/.test(raw.trim())) return `+1${d}`;
    if (d.length === 11 && d[0] === '1' && /^1[ .-]?\(?\d{3}/.test(raw.trim())) return `+${d}`;
    return d;
  },
});
