import { findNames, type NameSpan } from './names.js';
import { ENTITY_DEFS, ENTITY_TYPES, type EntityType } from './entities/index.js';
import type { ScanContext } from './entities/registry.js';

export { ENTITY_TYPES, type EntityType } from './entities/index.js';

export interface Span {
  type: EntityType;
  start: number;
  end: number;
}

/** Lower rank wins an overlap: a JWT that contains digits is a SECRET, not a phone. Ranks live in each entity's file. */
const RANK: Record<string, number> = Object.fromEntries([['TOKEN', 0], ...ENTITY_DEFS.map((d) => [d.type, d.rank])]);
const FINDERS = ENTITY_DEFS.filter((d) => d.find);

/** Tokens this stage wrote earlier; never re-tokenized (idempotent on replays). */
export const TOKEN_RE = new RegExp(`<(?:${ENTITY_TYPES.join('|')}):[A-Za-z0-9_-]{1,16}:[0-9a-f]{16}>`, 'g');

// Every pattern starts behind a negative look-behind and uses bounded quantifiers, so a failed attempt costs
// at most the bound and a megabyte of digits or '@' stays linear.
const SECRET_RES: RegExp[] = [
  /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,300}/g,
  /(?<![A-Za-z0-9_])[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}/g,
  /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{30,251}(?![A-Za-z0-9_])/g,
  /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,255}/g,
  /(?<![A-Za-z0-9-])xox[abposre]-[A-Za-z0-9-]{10,250}/g,
  /(?<![A-Za-z0-9-])xapp-\d-[A-Za-z0-9-]{10,250}/g,
  /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/_-]{20,200}/g,
  /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4000}\.eyJ[A-Za-z0-9_-]{2,8000}\.[A-Za-z0-9_-]{0,2000}/g,
];
// `password = "..."`, `api_key: ...`, `AWS_SECRET_ACCESS_KEY=...`: the value after a credential-named key.
const ASSIGN_RE = /(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,30}?(api[_-]?key|secret|passw(?:or)?d|pwd|token|credential|private[_-]?key|access[_-]?key|auth)[A-Za-z0-9_-]{0,30}["']?[ \t]{0,3}[:=][ \t]{0,3}["']?([^\s"'`,;<>(){}[\]]{4,300})/gi;
const CRED_WORD = /key|secret|passw|pwd|token|credential|auth/i;
const BEARER_RE = /\b(?:bearer|basic)[ \t]{1,3}([A-Za-z0-9._~+/-]{16,4000}=*)/gi;
const PLACEHOLDER = /^(?:x+|\*+|\.+|null|none|true|false|undefined|changeme|redacted|your[_-].*|<.*>|\$\{.*\}|\$[A-Z_]+|\{\{.*\}\})$/i;

function eachMatch(re: RegExp, text: string, fn: (m: RegExpExecArray) => number | void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const next = fn(m);
    if (typeof next === 'number') re.lastIndex = next;
    else if (m[0].length === 0) re.lastIndex++;
  }
}

function hasLetterAndDigit(s: string): boolean {
  return /[A-Za-z]/.test(s) && /\d/.test(s);
}

export interface DetectOptions {
  /** Types to look for (default: all). */
  types?: ReadonlySet<EntityType>;
}

/** All entity spans in `text`, non-overlapping, in text order. Existing tokens are left alone. */
export function detect(text: string, opts: DetectOptions = {}): Span[] {
  const want = opts.types;
  const on = (t: EntityType) => !want || want.has(t);
  const cands: (Span | { type: 'TOKEN'; start: number; end: number })[] = [];

  if (text.indexOf('<') !== -1) eachMatch(TOKEN_RE, text, (m) => void cands.push({ type: 'TOKEN', start: m.index, end: m.index + m[0].length }));

  if (on('SECRET')) {
    for (const re of SECRET_RES) {
      eachMatch(re, text, (m) => {
        const v = m[0];
        if (v.startsWith('sk-') && !hasLetterAndDigit(v.slice(3))) return;
        cands.push({ type: 'SECRET', start: m.index, end: m.index + v.length });
      });
    }
    findPem(text, cands as Span[]);
    eachMatch(BEARER_RE, text, (m) => {
      const v = m[1]!;
      if (hasLetterAndDigit(v)) cands.push({ type: 'SECRET', start: m.index + m[0].length - v.length, end: m.index + m[0].length });
    });
    if (CRED_WORD.test(text)) eachMatch(ASSIGN_RE, text, (m) => {
      const key = m[1]!.toLowerCase();
      const v = m[2]!;
      if (PLACEHOLDER.test(v) || v.startsWith('<')) return;
      const weakKey = key === 'token' || key === 'auth';
      const strongEnough = /passw|pwd|secret/.test(key) ? v.length >= 4 : v.length >= (weakKey ? 16 : 10) && hasLetterAndDigit(v);
      if (!strongEnough) return;
      const end = m.index + m[0].length;
      cands.push({ type: 'SECRET', start: end - v.length, end });
    });
  }
  const ctx: ScanContext = { hasDigit: /\d/.test(text), hasAt: text.indexOf('@') !== -1, hasDot: text.indexOf('.') !== -1, hasColon: text.indexOf(':') !== -1 };
  for (const def of FINDERS) if (on(def.type)) def.find!(text, cands, ctx);
  if (on('PERSON')) {
    const names: NameSpan[] = [];
    findNames(text, names);
    for (const n of names) cands.push({ type: 'PERSON', start: n.start, end: n.end });
  }
  return resolve(cands as (Span | { type: 'TOKEN'; start: number; end: number })[]);
}

function findPem(text: string, out: Span[]): void {
  let from = 0;
  for (;;) {
    const b = text.indexOf('-----BEGIN ', from);
    if (b === -1) return;
    const hdrEnd = text.indexOf('-----', b + 11);
    if (hdrEnd === -1 || hdrEnd - b > 80) {
      from = b + 11;
      continue;
    }
    const label = text.slice(b + 11, hdrEnd);
    if (!/PRIVATE KEY/.test(label)) {
      from = hdrEnd + 5;
      continue;
    }
    const endMarker = text.indexOf('-----END ', hdrEnd + 5);
    let e: number;
    if (endMarker === -1) {
      // cut off before its END line: take the base64 body that follows
      e = hdrEnd + 5;
      while (e < text.length && /[A-Za-z0-9+/=\s]/.test(text[e]!)) e++;
      out.push({ type: 'SECRET', start: b, end: e });
      return;
    }
    const close = text.indexOf('-----', endMarker + 9);
    e = close === -1 || close - endMarker > 80 ? endMarker + 9 : close + 5;
    out.push({ type: 'SECRET', start: b, end: e });
    from = e;
  }
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
