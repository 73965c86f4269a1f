import { findNames, type NameSpan } from './names.js';
import { findSecrets, type Family } from './credentials/index.js';
import { cardGroupingOk, cardIssuerOk, ibanOk, IBAN_LENGTHS, ipv4Ok, luhnOk, parseIpv6, ssnOk } from './validators.js';

export const ENTITY_TYPES = ['SECRET', 'EMAIL', 'IBAN', 'CREDIT_CARD', 'US_SSN', 'PHONE', 'IP_ADDRESS', 'PERSON'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface Span {
  type: EntityType;
  start: number;
  end: number;
  /** SECRET only: who issued the credential (`github`, `aws`, `generic`...). */
  provider?: string;
  /** SECRET only: the credential type (`github_pat`, `postgres_password`...). */
  subtype?: string;
  /** SECRET only: provider family (`llm`, `cloud`, `private_key`...). */
  family?: Family;
}

/** Lower rank wins an overlap: a JWT that contains digits is a SECRET, not a phone. */
const RANK: Record<EntityType | 'TOKEN', number> = { TOKEN: 0, SECRET: 1, EMAIL: 2, IBAN: 3, CREDIT_CARD: 4, US_SSN: 5, PHONE: 6, IP_ADDRESS: 7, PERSON: 8 };

/** Tokens this stage wrote earlier; never re-tokenized (idempotent on replays). */
export const TOKEN_RE = /<(?:SECRET|EMAIL|IBAN|CREDIT_CARD|US_SSN|PHONE|IP_ADDRESS|PERSON):([A-Za-z0-9_-]{1,16}):([0-9a-f]{16})>/g;
/** What a key version looks like (k1, v2, key2026); anything else in that slot is a value someone wrapped. */
const VERSION_LIKE = /^[A-Za-z]{0,4}\d{0,4}$/;

const IBAN_RE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]){10,34}/g;
const CARD_RE = /(?<![\w.,+/-]|\d[ ])\d(?:[ -]?\d){12,18}(?!\w)/g;
const SSN_DASH_RE = /(?<![\w./-]|\d[ ])(\d{3})-(\d{2})-(\d{4})(?!\w|[-/]\d)/g;
const SSN_CTX_RE = /\b(?:ssn|social[ -]security(?:[ -](?:number|no\.?|#))?|ss#)[\s:#.-]{0,4}(\d{3})[ ]?(\d{2})[ ]?(\d{4})(?!\w)/gi;
const NANP_RE = /(?<![\w+./-]|\d[ ])(?:1[ .-]?)?(?:\(\d{3}\)[ ]?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w]|[-./]\d)/g;
const FR_RE = /(?<![\w+./-]|\d[ ])0[1-9](?:[ .]\d{2}){4}(?![\w]|[-./]\d)/g;
const NATIONAL_RE = /(?<![\w+./-]|\d[ ])(?:\(0\d{1,4}\)|0\d{1,4})(?:[ .-]\d{2,8}){1,4}(?![\w]|[-./]\d)|(?<![\w+./-])0\d{8,11}(?![\w])/g;
// English and the common European words for a phone number: national formats are only trusted next to one.
const PHONE_CUE = /(?:phone|tel|telephone|mobile|cell|call|fax|whatsapp|sms|text|contact|reach|number|ring|ph|mob|nummer|telefon|rufnummer|handy|num[ée]ro|n[úu]mero|t[ée]l[ée]phone|portable|m[óo]vil|cellulare|☎)\b[^\n]{0,30}$/i;
// Indian mobile numbers written without +91 or a leading 0 (98765 43210): ten digits starting 6-9, cue required.
const IN_MOBILE_RE = /(?<![\w+./-]|\d[ ])[6-9]\d{4}[ -]?\d{5}(?![\w]|[-./]\d)/g;
// `version 10.2.3.4`, `build: 1.0.0.12`: a dotted quad right after a version word is a version, not an address.
const VERSION_CUE = /\b(?:version|ver|release|build|firmware|v)[ \t]{0,2}[:=#]?[ \t]{0,2}$/i;
const IPV4_RE = /(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6_RE = /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}|:)(?::[0-9A-Fa-f]{0,4}){2,7}(?::?(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\w)/g;

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;
function isLocalChar(c: number, ch: string): boolean {
  return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || c === 39 || (c > 127 && NON_ASCII_WORD.test(ch));
}
function isDomainChar(c: number, ch: string): boolean {
  return isAlnum(c) || c === 45 || c === 46 || (c > 127 && NON_ASCII_WORD.test(ch));
}

/** Scans outward from each '@' (linear in the text, whatever its content) instead of a regex with two unbounded sides. */
function findEmails(text: string, out: Span[]): void {
  let at = text.indexOf('@');
  let floor = 0;
  while (at !== -1) {
    let s = at;
    while (s > floor && at - s < 64 && isLocalChar(text.charCodeAt(s - 1), text[s - 1]!)) s--;
    while (s < at && text.charCodeAt(s) === 46) s++;
    let e = at + 1;
    while (e < text.length && e - at <= 253 && isDomainChar(text.charCodeAt(e), text[e]!)) e++;
    while (e > at + 1 && (text.charCodeAt(e - 1) === 46 || text.charCodeAt(e - 1) === 45)) e--;
    const domain = text.slice(at + 1, e);
    const lastDot = domain.lastIndexOf('.');
    const tld = lastDot === -1 ? '' : domain.slice(lastDot + 1);
    // a TLD has a letter (rules out pkg@1.2.3); a domain without a dot only when the text was cut right there
    const ok = s < at && domain.length > 0 && !domain.startsWith('.') && !domain.includes('..') &&
      ((lastDot > 0 && /[A-Za-z\u0080-\uffff]/.test(tld)) || (lastDot === -1 && e === text.length && /[A-Za-z]/.test(domain)));
    if (ok) {
      out.push({ type: 'EMAIL', start: s, end: e });
      floor = e;
      at = text.indexOf('@', e);
    } else at = text.indexOf('@', at + 1);
  }
}

/** '+' then 8-15 digits in groups separated by single spaces, dots, dashes or one pair of parentheses. */
function findIntlPhones(text: string, out: Span[]): void {
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
        else if (c === 41 && paren && sepRun === 0) sepRun = 0; // ') ' may still take one separator
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

function eachMatch(re: RegExp, text: string, fn: (m: RegExpExecArray) => number | void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const next = fn(m);
    if (typeof next === 'number') re.lastIndex = next;
    else if (m[0].length === 0) re.lastIndex++;
  }
}

export interface DetectOptions {
  /** Types to look for (default: all). */
  types?: ReadonlySet<EntityType>;
  /**
   * Whether a token-shaped string is one this deployment wrote (configured key version, MAC tag checks out).
   * Only those are left alone; without this option every token-shaped string is scanned like other text.
   */
  isOwnToken?: (token: string) => boolean;
}

/** All entity spans in `text`, non-overlapping, in text order. Existing tokens are left alone. */
export function detect(text: string, opts: DetectOptions = {}): Span[] {
  const want = opts.types;
  const on = (t: EntityType) => !want || want.has(t);
  const cands: (Span | { type: 'TOKEN'; start: number; end: number })[] = [];
  const hasDigit = /\d/.test(text);

  const own = opts.isOwnToken;
  if (text.indexOf('<') !== -1) {
    eachMatch(TOKEN_RE, text, (m) => {
      if (own?.(m[0])) cands.push({ type: 'TOKEN', start: m.index, end: m.index + m[0].length });
      else fakeToken(m, cands as Span[], opts.types);
    });
  }

  if (on('SECRET')) for (const f of findSecrets(text)) cands.push({ type: 'SECRET', start: f.start, end: f.end, provider: f.provider, subtype: f.subtype, family: f.family });
  if (on('EMAIL') && text.indexOf('@') !== -1) findEmails(text, cands as Span[]);
  if (hasDigit) {
    if (on('IBAN')) {
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
        const next = text.charCodeAt(endAbs);
        if (n === len && !(isAlnum(next)) && ibanOk(compact.toUpperCase())) {
          cands.push({ type: 'IBAN', start: m.index, end: endAbs });
          return endAbs;
        }
        return m.index + 2;
      });
    }
    if (on('CREDIT_CARD')) {
      eachMatch(CARD_RE, text, (m) => {
        const raw = m[0];
        const sep = raw.match(/[ -]/g);
        if (sep && sep.some((s) => s !== sep[0])) return;
        const groups = sep ? raw.split(sep[0]!).map((g) => g.length) : [raw.length];
        const digits = sep ? raw.split(sep[0]!).join('') : raw;
        if (!cardGroupingOk(groups) || !cardIssuerOk(digits) || !luhnOk(digits)) return;
        cands.push({ type: 'CREDIT_CARD', start: m.index, end: m.index + raw.length });
      });
    }
    if (on('US_SSN')) {
      eachMatch(SSN_DASH_RE, text, (m) => {
        if (ssnOk(m[1]!, m[2]!, m[3]!)) cands.push({ type: 'US_SSN', start: m.index, end: m.index + m[0].length });
      });
      eachMatch(SSN_CTX_RE, text, (m) => {
        if (!ssnOk(m[1]!, m[2]!, m[3]!)) return;
        const len = m[0].length - m[0].search(/\d/);
        cands.push({ type: 'US_SSN', start: m.index + m[0].length - len, end: m.index + m[0].length });
      });
    }
    if (on('PHONE')) {
      if (text.indexOf('+') !== -1) findIntlPhones(text, cands as Span[]);
      eachMatch(NANP_RE, text, (m) => void cands.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length }));
      eachMatch(FR_RE, text, (m) => void cands.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length }));
      eachMatch(NATIONAL_RE, text, (m) => {
        const digits = m[0].replace(/\D/g, '').length;
        if (digits < 9 || digits > 12) return;
        if (PHONE_CUE.test(text.slice(Math.max(0, m.index - 40), m.index))) cands.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length });
      });
      eachMatch(IN_MOBILE_RE, text, (m) => {
        if (PHONE_CUE.test(text.slice(Math.max(0, m.index - 40), m.index))) cands.push({ type: 'PHONE', start: m.index, end: m.index + m[0].length });
      });
    }
    if (on('IP_ADDRESS') && text.indexOf('.') !== -1) {
      eachMatch(IPV4_RE, text, (m) => {
        if (!ipv4Ok(m[0])) return;
        // Product/1.2.3.4 in a user agent is a version
        if (m.index >= 2 && text[m.index - 1] === '/' && isAlnum(text.charCodeAt(m.index - 2))) return;
        if (VERSION_CUE.test(text.slice(Math.max(0, m.index - 16), m.index))) return;
        cands.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + m[0].length });
      });
    }
  }
  if (on('IP_ADDRESS') && text.indexOf(':') !== -1) {
    eachMatch(IPV6_RE, text, (m) => {
      const v = m[0];
      const g = parseIpv6(v);
      if (!g) return;
      const hex = v.replace(/[^0-9A-Fa-f]/g, '').length;
      const groups = v.split(':').filter(Boolean).length;
      if (hex < 4 || groups < 2 || (!v.includes('::') && groups < 8 && !v.includes('.'))) return;
      cands.push({ type: 'IP_ADDRESS', start: m.index, end: m.index + v.length });
    });
  }
  if (on('PERSON')) {
    const names: NameSpan[] = [];
    findNames(text, names);
    for (const n of names) cands.push({ type: 'PERSON', start: n.start, end: n.end });
  }
  return resolve(cands as (Span | { type: 'TOKEN'; start: number; end: number })[]);
}

/**
 * A token-shaped string we did not write: its slots are scanned on their own (the `<`, `:` and hex around a value
 * defeat the detectors' boundaries), and a version slot that is no version is taken as a wrapped value.
 */
function fakeToken(m: RegExpExecArray, out: Span[], types: ReadonlySet<EntityType> | undefined): void {
  const version = m[1]!;
  const hex = m[2]!;
  const vs = m.index + m[0].indexOf(':') + 1;
  const hs = vs + version.length + 1;
  const inVersion = detect(version, { types });
  for (const s of inVersion) out.push({ ...s, start: s.start + vs, end: s.end + vs });
  if (inVersion.length === 0 && !VERSION_LIKE.test(version) && (!types || types.has('SECRET'))) {
    out.push({ type: 'SECRET', start: vs, end: vs + version.length, provider: 'generic', subtype: 'fake_token_wrapper', family: 'other' });
  }
  for (const s of detect(hex, { types })) out.push({ ...s, start: s.start + hs, end: s.end + hs });
  // nine digits padded with hex letters (502669018eccecee): random hex looks like that once in 60,000
  const ssn = /^(\d{3})(\d{2})(\d{4})[a-f]{7}$/.exec(hex);
  if (ssn && (!types || types.has('US_SSN')) && ssnOk(ssn[1]!, ssn[2]!, ssn[3]!)) out.push({ type: 'US_SSN', start: hs, end: hs + 9 });
}

function resolve(cands: { type: EntityType | 'TOKEN'; start: number; end: number }[]): Span[] {
  if (cands.length === 0) return [];
  if (cands.length === 1) return cands[0]!.type === 'TOKEN' ? [] : [cands[0] as Span];
  cands.sort((a, b) => RANK[a.type] - RANK[b.type] || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: { start: number; end: number; type: string }[] = [];
  if (cands.length <= 32) {
    for (const c of cands) {
      let clash = false;
      for (const t of taken) {
        if (c.start < t.end && t.start < c.end) {
          clash = true;
          break;
        }
      }
      if (!clash) taken.push(c);
    }
  } else {
    // many candidates (hostile or huge text): an occupancy map keeps this linear instead of quadratic
    let max = 0;
    for (const c of cands) if (c.end > max) max = c.end;
    const used = new Uint8Array(max);
    for (const c of cands) {
      let clash = false;
      for (let k = c.start; k < c.end; k++) {
        if (used[k]) {
          clash = true;
          break;
        }
      }
      if (clash) continue;
      used.fill(1, c.start, c.end);
      taken.push(c);
    }
  }
  return (taken.filter((t) => t.type !== 'TOKEN') as Span[]).sort((a, b) => a.start - b.start);
}
