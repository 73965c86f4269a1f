import { cardIssuerOk, ibanOk, luhnOk, ssnOk } from '../validators.js';
import { eachMatch, type Candidate, type ScanContext } from './registry.js';

/**
 * Values typed one character at a time ("4 0 6 1  8 4 9 3 ...", "C H 5 0 ...", "+1 6 7 1 ..."), as OCR output and
 * people dodging filters write them. Found once per document; the card, SSN, IBAN and phone finders each take
 * the runs that pass their own validator.
 */
export interface SpacedRun {
  start: number;
  end: number;
  compact: string;
  /** Group lengths where the run uses a double space (or [] when it uses single spaces only). */
  groups: number[];
  plus: boolean;
}

// not inside a longer run: no character or lone character + spaces right before
const SPACED_RE = /(?<![A-Za-z0-9+])(?<!(?:^|[^A-Za-z0-9])[A-Za-z0-9] {1,2})(\+ ?)?[A-Za-z0-9](?: {1,2}[A-Za-z0-9](?![A-Za-z0-9])){7,33}/g;
const GATE = /[A-Za-z0-9] {1,2}\d {1,2}[A-Za-z0-9] {1,2}[A-Za-z0-9]/;
export function spacedRuns(text: string, ctx: ScanContext): SpacedRun[] {
  // kept on the document's context: a WeakMap entry per document costs the collector more than the lookup saves
  let runs = ctx.spaced;
  if (runs) return runs;
  runs = [];
  if (ctx.hasDigit && GATE.test(text)) {
    eachMatch(SPACED_RE, text, (m) => {
      const body = m[1] ? m[0].slice(m[1].length) : m[0];
      const compact = body.replace(/ /g, '');
      if (!/\d/.test(compact)) return;
      const groups = body.includes('  ') ? body.split('  ').map((g) => g.replace(/ /g, '').length) : [];
      runs!.push({ start: m.index, end: m.index + m[0].length, compact, groups, plus: !!m[1] });
    });
  }
  ctx.spaced = runs;
  return runs;
}

const SSN_CUE = /\b(?:ssn|social security|ss#)[^\n]{0,16}$/i;

export function findSpaced(type: 'CREDIT_CARD' | 'US_SSN' | 'IBAN' | 'PHONE', text: string, out: Candidate[], ctx: ScanContext): void {
  for (const r of spacedRuns(text, ctx)) {
    const c = r.compact;
    const digits = /^\d+$/.test(c);
    let ok = false;
    if (type === 'CREDIT_CARD') ok = digits && c.length >= 13 && c.length <= 19 && cardIssuerOk(c) && luhnOk(c);
    else if (type === 'US_SSN') ok = digits && c.length === 9 && ssnOk(c.slice(0, 3), c.slice(3, 5), c.slice(5)) && (r.groups.join('-') === '3-2-4' || SSN_CUE.test(text.slice(Math.max(0, r.start - 24), r.start)));
    else if (type === 'IBAN') ok = /^[A-Za-z]{2}\d{2}[A-Za-z0-9]+$/.test(c) && ibanOk(c.toUpperCase());
    else ok = digits && ((r.plus && c.length >= 8 && c.length <= 15) || r.groups.join('-') === '3-3-4');
    if (ok) out.push({ type, start: r.start, end: r.end });
  }
}
