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
