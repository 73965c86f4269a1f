import type { SpacedRun } from './spaced.js';

/**
 * An entity type is one file in this folder: its token name, overlap rank, what it is, how it is validated,
 * what context it needs, a look-alike that must stay, and its finder. `index.ts` collects the files; the
 * detector, the token regex, the overlap ranking and the reference page all derive from that list.
 */

export interface Candidate {
  type: string;
  start: number;
  end: number;
}

/** Cheap facts about the text, computed once per document so finders can skip it without scanning. */
export interface ScanContext {
  hasDigit: boolean;
  hasAt: boolean;
  hasDot: boolean;
  hasColon: boolean;
  /** The spaced-out runs (spaced.ts), found once per document for the finders that take them. */
  spaced?: SpacedRun[];
  /** Digit and word shapes of the text (textFacts), measured once per document on first use. */
  facts?: TextFacts;
}

/**
 * Lengths a finder's value needs, measured in one pass: a finder whose shortest value is longer than anything in the
 * text skips its regex (a megabyte of `25252540%` holds no twelve-digit chain: the card, Aadhaar and ABN patterns
 * need not try each of its digits). On text shorter than FACTS_MIN_CHARS every gate is open. A length stops being
 * counted at the most any finder asks (FACT_RUN, FACT_CHAIN, FACT_ALNUM): ask only `>= n` for n up to those.
 */
export interface TextFacts {
  /** Longest run of ASCII digits. */
  run: number;
  /** Most digits in a chain of ASCII digits with at most one space or `-` between two of them (`4111 1111-11`). */
  chain: number;
  /** Longest run of ASCII letters and digits. */
  alnum: number;
  /** Whether a digit, a `.` and a digit stand in a row somewhere. */
  digitDot: boolean;
  /** Whether an ASCII letter stands right before a digit (`k1`, `AB12`). */
  letterDigit: boolean;
  /** Whether an ASCII letter stands right after a digit (`12a`). */
  digitLetter: boolean;
  /** Whether an upper-case ASCII letter follows a digit, directly or after one space or `-` (`12345678-Z`). */
  digitUpper: boolean;
}

/** Below this length the pass costs more than the regexes it spares (they fail fast on short text): no gate. */
export const FACTS_MIN_CHARS = 2048;
export const FACT_RUN = 8;
export const FACT_CHAIN = 12;
export const FACT_ALNUM = 26;
const NO_GATE: TextFacts = { run: Infinity, chain: Infinity, alnum: Infinity, digitDot: true, letterDigit: true, digitLetter: true, digitUpper: true };

/** Character classes for the pass: 1 ASCII digit, 2 ASCII letter, 3 space or `-`, 4 `.`, 0 anything else. */
const CLS = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) CLS[c] = 1;
for (let c = 65; c <= 90; c++) CLS[c] = CLS[c + 32] = 2;
CLS[32] = CLS[45] = 3;
CLS[46] = 4;

export function textFacts(text: string, ctx: ScanContext): TextFacts {
  if (ctx.facts) return ctx.facts;
  if (text.length < FACTS_MIN_CHARS) return (ctx.facts = NO_GATE);
  let maxRun = 0;
  let maxChain = 0;
  let maxAlnum = 0;
  let digitDot = false;
  let letterDigit = false;
  let digitLetter = false;
  let digitUpper = false;
  // where the current digit run and word began, and the digits of the chain before the current run; a run is
  // measured when it ends, so a character inside one costs a lookup and a compare
  let runStart = 0;
  let alnumStart = 0;
  let chain = 0;
  // the previous character's class, and 5 for a space or `-` right after a digit (a chain goes on through it)
  let prev = 0;
  let i = 0;
  const n = text.length;
  for (; i < n; i++) {
    // every length as far as a finder asks (a megabyte of digits is, after its first kilobyte): only the dot is left
    if ((i & 1023) === 1023) {
      const inRun = prev === 1 ? i - runStart : 0;
      const inWord = prev === 1 || prev === 2 ? i - alnumStart : 0;
      if (Math.max(maxRun, inRun) >= FACT_RUN && Math.max(maxChain, chain + inRun) >= FACT_CHAIN && Math.max(maxAlnum, inWord) >= FACT_ALNUM) break;
    }
    const c = text.charCodeAt(i);
    const k = CLS[c]!;
    if (k === 1) {
      if (prev === 1) continue;
      runStart = i;
      if (prev !== 2) alnumStart = i;
      else letterDigit = true;
      if (prev !== 5) {
        chain = 0;
        if (prev === 4 && !digitDot && i >= 2 && CLS[text.charCodeAt(i - 2)] === 1) digitDot = true;
      }
      prev = 1;
      continue;
    }
    if (prev === 1) {
      const r = i - runStart;
      if (r > maxRun) maxRun = r;
      chain += r;
      if (chain > maxChain) maxChain = chain;
    }
    if (k === 2) {
      if (prev !== 2) {
        if (prev === 1) digitLetter = true;
        else alnumStart = i;
        if ((prev === 1 || prev === 5) && c <= 90) digitUpper = true;
      }
      prev = 2;
      continue;
    }
    if ((prev === 1 || prev === 2) && i - alnumStart > maxAlnum) maxAlnum = i - alnumStart;
    prev = k === 3 && prev === 1 ? 5 : k;
  }
  if (prev === 1) {
    maxRun = Math.max(maxRun, i - runStart);
    maxChain = Math.max(maxChain, chain + i - runStart);
  }
  if (prev === 1 || prev === 2) maxAlnum = Math.max(maxAlnum, i - alnumStart);
  const from = i > 0 ? i - 1 : 0;
  for (let d = text.indexOf('.', from); !digitDot && d !== -1; d = text.indexOf('.', d + 1)) {
    digitDot = d > 0 && CLS[text.charCodeAt(d - 1)] === 1 && CLS[text.charCodeAt(d + 1)] === 1;
  }
  // (after an early stop the rest is read by regexes that skip to what they need)
  if (i < n) {
    // from the character two before the stop: `\d[ -]?[A-Z]` spans three, and its digit and space may be read already
    const rest = text.slice(i >= 2 ? i - 2 : 0);
    letterDigit ||= /[A-Za-z]\d/.test(rest);
    digitLetter ||= /\d[A-Za-z]/.test(rest);
    digitUpper ||= /\d[ -]?[A-Z]/.test(rest);
  }
  return (ctx.facts = { run: maxRun, chain: maxChain, alnum: maxAlnum, digitDot, letterDigit, digitLetter, digitUpper });
}

export interface EntityDef<T extends string = string> {
  /** Token name: `<TYPE:version:mac>`. */
  type: T;
  /** Lower rank wins an overlap. Unique. */
  rank: number;
  description: string;
  /** What separates a real value from random characters of the same shape ("Luhn + issuer range", "none"). */
  validator: string;
  /** What the surrounding text must say, if anything ("none", "a passport word within 30 characters"). */
  context: string;
  /** A string that looks like this type and must come through the tokenizer unchanged (tested). */
  lookalike: string;
  /** Pushes candidate spans; undefined for types found by their own module inside detect.ts (SECRET, PERSON). */
  find?: (text: string, out: Candidate[], ctx: ScanContext) => void;
  /** What counts as "the same value" for the token (default: trimmed raw text). */
  normalise?: (raw: string) => string;
}

export function defineEntity<const T extends string>(def: EntityDef<T>): EntityDef<T> {
  return def;
}

/** Runs `fn` on every match; `fn` may return the index to resume at. */
export function eachMatch(re: RegExp, text: string, fn: (m: RegExpExecArray) => number | void): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const next = fn(m);
    if (typeof next === 'number') re.lastIndex = next;
    else if (m[0].length === 0) re.lastIndex++;
  }
}

export const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
export const isDigit = (c: number) => c >= 48 && c <= 57;

/** True when one of `cue`'s words ends within `window` characters before `at` (the regex should end in `[^\n]{0,N}$`). */
export function cueBefore(text: string, at: number, cue: RegExp, window = 40): boolean {
  return cue.test(text.slice(Math.max(0, at - window), at));
}

export const digitsOnly = (raw: string) => raw.replace(/\D/g, '');
export const compactUpper = (raw: string) => raw.replace(/[\s.-]/g, '').toUpperCase();

export interface IdRule {
  type: string;
  /** Global regex for the value; bounded quantifiers, a look-behind so a failed attempt stays cheap. */
  re: RegExp;
  /** Checksum or range check on the value with separators removed (upper-cased). */
  ok?: (compact: string, m: RegExpExecArray) => boolean;
  /** A word that must end shortly before the value; a regex ending in `[^\n]{0,N}$`. */
  cue?: RegExp;
  /** When the value does not need the cue (e.g. printed in its official grouping). */
  cueOptional?: (m: RegExpExecArray) => boolean;
  /** Skip the document unless this cheap test passes. */
  gate?: (text: string, ctx: ScanContext) => boolean;
}

/** The finder most identifiers need: shape regex, then cue, then checksum. */
export function idFinder(rule: IdRule): (text: string, out: Candidate[], ctx: ScanContext) => void {
  return (text, out, ctx) => {
    if (rule.gate ? !rule.gate(text, ctx) : !ctx.hasDigit) return;
    eachMatch(rule.re, text, (m) => {
      const compact = m[0].replace(/[\s./-]/g, '').toUpperCase();
      if (rule.cue && !(rule.cueOptional?.(m)) && !cueBefore(text, m.index, rule.cue, 48)) return;
      if (rule.ok && !rule.ok(compact, m)) return;
      out.push({ type: rule.type, start: m.index, end: m.index + m[0].length });
    });
  };
}
