import { cardGroupingOk, cardIssuerOkBy } from '../validators.js';
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
      let sep = 0;
      let code = 0;
      let len = 0;
      let groups = 1;
      // one pass reads the grouping, the issuer prefixes and both Luhn sums (which one applies depends on the count)
      let n = 0;
      let pre = 0;
      let p2 = 0;
      let p3 = 0;
      let p4 = 0;
      let even = 0;
      let odd = 0;
      for (let k = 0; k < raw.length; k++) {
        const c = raw.charCodeAt(k);
        if (c === 32 || c === 45) {
          if (sep !== 0 && c !== sep) return;
          sep = c;
          code = code * 32 + len;
          len = 0;
          if (++groups > 10) return;
          continue;
        }
        len++;
        const d = c - 48;
        if (n < 6) {
          pre = pre * 10 + d;
          if (n === 1) p2 = pre;
          else if (n === 2) p3 = pre;
          else if (n === 3) p4 = pre;
        }
        const dd = d * 2 > 9 ? d * 2 - 9 : d * 2;
        if (n % 2 === 0) {
          even += dd;
          odd += d;
        } else {
          even += d;
          odd += dd;
        }
        n++;
      }
      if (sep !== 0 && !groupingOk(code * 32 + len)) return;
      // Luhn doubles every second digit from the right: with an even count, those at even places from the left
      const luhn = (n % 2 === 0 ? even : odd) % 10 === 0;
      const first = raw.charCodeAt(0) - 48;
      if (!cardIssuerOkBy(n, first, p2, p3, p4, pre) || !luhn) return;
      if ((n === 12 || (n === 13 && !sep && first !== 4)) && !cueBefore(text, m.index, CARD_CUE)) return;
      out.push({ type: 'CREDIT_CARD', start: m.index, end: m.index + raw.length });
    });
  },
  normalise: digitsOnly,
});
