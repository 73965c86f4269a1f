import { cardGroupingOk, cardIssuerOk, luhnOk } from '../validators.js';
import { findSpaced } from './spaced.js';
import { cueBefore, defineEntity, digitsOnly, eachMatch, textFacts } from './registry.js';

const CARD_RE = /(?<![\w.,+/-]|\d[ ])\d(?:[ -]?\d){11,18}(?!\w)/g;
// 12- and 13-digit Maestro numbers are as long as many ids: written bare, they need a card word before them
const CARD_CUE = /(?:card|karte|carte|tarjeta|carta|maestro|debit|credit|visa|pan|cc|kk)\b[^\n]{0,30}$/i;

/** cardGroupingOk by the packed group lengths (at most ten groups of 5 bits: exact in a double), asked once per grouping. */
const GROUPINGS = new Map<number, boolean>();
function groupingOk(code: number): boolean {
  let ok = GROUPINGS.get(code);
  if (ok === undefined) {
    const groups: number[] = [];
    for (let c = code; c > 0; c = Math.floor(c / 32)) groups.unshift(c % 32);
    ok = cardGroupingOk(groups);
    if (GROUPINGS.size < 4096) GROUPINGS.set(code, ok);
  }
  return ok;
}

export default defineEntity({
  type: 'CREDIT_CARD',
  rank: 40,
  description: 'Payment card numbers of every network: Visa 13/16/19, Mastercard 51-55 and 2221-2720, Amex 34/37, Discover, Maestro 12-19 (50, 56-69), JCB 35xx (3528-3589 assigned) and 15-digit 1800/2131, Diners 14 (300-305, 36, 38, 39), UnionPay 62 (16-19), Mir; bare or in the groups the networks print.',
  validator: 'Luhn + issuer range and length + a printed grouping (4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3, ...)',
  context: 'none, except 12-digit Maestro and bare 13-digit Maestro (a card word before it)',
  lookalike: 'ref 4111 1111 1111 1112 and ISBN 9780306406157',
  find: (text, out, ctx) => {
    if (!ctx.hasDigit) return;
    findSpaced('CREDIT_CARD', text, out, ctx);
    if (textFacts(text, ctx).chain < 12) return;
    eachMatch(CARD_RE, text, (m) => {
      const raw = m[0];
      // one walk: the separator (one kind throughout) and the group lengths, packed 5 bits each (a field dense with
      // card-shaped runs should not cost arrays and strings per run)
      let sep = 0;
      let code = 0;
      let len = 0;
      let groups = 1;
      for (let k = 0; k < raw.length; k++) {
        const c = raw.charCodeAt(k);
        if (c === 32 || c === 45) {
          if (sep !== 0 && c !== sep) return;
          sep = c;
          code = code * 32 + len;
          len = 0;
          // (no printed grouping has more than five groups; past ten the packing below would not be exact)
          if (++groups > 10) return;
        } else len++;
      }
      if (sep !== 0 && !groupingOk(code * 32 + len)) return;
      const digits = sep !== 0 ? raw.replaceAll(sep === 32 ? ' ' : '-', '') : raw;
      if (!cardIssuerOk(digits) || !luhnOk(digits)) return;
      // 12 digits 4-4-4 is also how Aadhaar prints: a 12-digit Maestro needs its card word, grouped or not
      if ((digits.length === 12 || (digits.length === 13 && !sep && !/^4/.test(digits))) && !cueBefore(text, m.index, CARD_CUE)) return;
      out.push({ type: 'CREDIT_CARD', start: m.index, end: m.index + raw.length });
    });
  },
  normalise: digitsOnly,
});
