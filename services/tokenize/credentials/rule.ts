/**
 * Credential formats as data. A rule is anchored: the scanner finds its literal anchor in one pass over the text
 * and only then runs the rule's sticky regex at that spot, so the cost of a rule is paid where its anchor occurs
 * and is bounded by its quantifiers (every regex starts behind a negative look-behind that covers its body, so
 * a hit inside an earlier hit's run fails at once).
 */
export type Family =
  | 'llm' | 'cloud' | 'code' | 'messaging' | 'payments' | 'communications' | 'devplatform' | 'data' | 'monitoring'
  | 'identity' | 'other' | 'private_key' | 'connection_string' | 'assignment' | 'header';

/** Cloud and LLM-provider keys: their exposure in a prompt is rated high (the rest medium). */
export const HIGH_FAMILIES: ReadonlySet<Family> = new Set(['llm', 'cloud']);

export interface RuleMeta {
  /** Credential type (subtype), unique: `github_pat`, `aws_access_key_id`. */
  id: string;
  provider: string;
  family: Family;
  /** Length and alphabet as the provider documents it. */
  format: string;
  /** How the format carries a checksum, when it does. */
  checksum?: string;
}

export interface PrefixRule extends RuleMeta {
  kind: 'prefix';
  anchors: string[];
  /** Anchors compared case-insensitively. */
  ci?: boolean;
  /** Sticky regex tried where the anchor starts (or `back` characters before it); group 1, if any, is the secret. */
  re: RegExp;
  /** ASCII characters of the regex's look-behind: a hit right after one fails without running the regex. */
  lbTable?: Uint8Array;
  /** Characters before the anchor where the value starts (`Q~` sits at offset 3-4 of an Azure AD secret). */
  back?: number | ((text: string, hit: number) => number);
  check?: (value: string) => boolean;
  /** ASCII characters the body can start with, when the body opens with a plain class or character: a hit followed by another fails without running the regex. */
  firstTable?: Uint8Array;
}

/** A generic value (32 hex, 40 base64) that is a credential only next to one of its keywords. */
export interface ContextRule extends RuleMeta {
  kind: 'context';
  /** Case-insensitive. */
  keywords: string[];
  /** Global regex for the value, with its own boundaries. */
  value: RegExp;
  /** Characters on either side of the keyword that are searched for the value. */
  window?: number;
  check?: (value: string) => boolean;
}

export type SecretRule = PrefixRule | ContextRule;

/** Rules the scanner implements by parsing (assignments, URLs, headers, PEM...): listed for the docs and the provider map. */
export interface ParsedFormat extends RuleMeta {
  kind: 'parsed';
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * A prefix rule: `anchors` then `body`. The look-behind covers word characters and the body's own characters;
 * the look-ahead refuses a longer run of `tail` characters (default: the body's class).
 */
export function prefix(meta: RuleMeta, anchors: string[], body: string, opts: { lb?: string; tail?: string; check?: (v: string) => boolean; ci?: boolean; back?: PrefixRule['back']; head?: string } = {}): PrefixRule {
  const lb = opts.lb ?? 'A-Za-z0-9_-';
  // A '.' in the default tail would refuse a token that ends a sentence ("the key is SG.xxx.yyy."): a dot only
  // continues the value when a word character follows it.
  const dotted = opts.tail === undefined && lb.includes('.');
  const tail = opts.tail ?? (dotted ? lb.replace('.', '') : lb);
  const head = opts.head ?? `(?:${anchors.map(esc).join('|')})`;
  const ahead = `${tail ? `(?![${tail}])` : ''}${dotted ? '(?!\\.[A-Za-z0-9_])' : ''}`;
  const re = new RegExp(`${lb ? `(?<![${lb}])` : ''}${head}${body}${ahead}`, opts.ci ? 'iy' : 'y');
  let lbTable: Uint8Array | undefined;
  if (lb) {
    const cls = new RegExp(`[${lb}]`);
    lbTable = new Uint8Array(128);
    for (let c = 0; c < 128; c++) lbTable[c] = cls.test(String.fromCharCode(c)) ? 1 : 0;
  }
  const firstTable = opts.head === undefined && opts.back === undefined ? firstChars(body, !!opts.ci) : undefined;
  return { kind: 'prefix', ...meta, anchors, re, lbTable, ci: opts.ci, back: opts.back, check: opts.check, firstTable };
}

/** The characters a body's first atom accepts, when it is a character class or a plain character that must occur once. */
function firstChars(body: string, ci: boolean): Uint8Array | undefined {
  const m = /^(\[(?:\\.|[^\]\\])*\]|[A-Za-z0-9_-])(.?)(.?)/.exec(body);
  if (!m) return undefined;
  if (m[2] === '?' || m[2] === '*' || (m[2] === '{' && m[3] === '0')) return undefined;
  const re = new RegExp(`^${m[1]}`, ci ? 'i' : '');
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) t[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
}

export function context(meta: RuleMeta, keywords: string[], value: RegExp, opts: { window?: number; check?: (v: string) => boolean } = {}): ContextRule {
  if (!value.global) throw new Error(`${meta.id}: context value regex must be global`);
  return { kind: 'context', ...meta, keywords, value, window: opts.window, check: opts.check };
}

// ---- checks ----

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(s: string): number {
  let c = -1;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function base62(n: number, width: number): string {
  let s = '';
  while (n > 0) {
    s = B62[n % 62]! + s;
    n = Math.floor(n / 62);
  }
  return s.padStart(width, '0');
}

/** GitHub and npm tokens: the last 6 characters are base62(CRC32(the 30 random characters before them)). */
export function crc32Base62Suffix(prefixLen: number): (v: string) => boolean {
  return (v) => {
    const body = v.slice(prefixLen, -6);
    return base62(crc32(body), 6) === v.slice(-6);
  };
}

/**
 * A checksum that holds proves the format; one that fails still leaves a random-looking value (a mangled, cut or
 * generated token is as sensitive), so only low-entropy look-alikes (`ghp_abcdef...0123`) are let through.
 */
export function checksumOrRandom(valid: (v: string) => boolean, prefixLen: number): (v: string) => boolean {
  return (v) => valid(v) || (/[A-Z]/.test(v.slice(prefixLen)) && /[a-z]/.test(v.slice(prefixLen)) && /\d/.test(v.slice(prefixLen)));
}

export const hasLetterAndDigit = (s: string) => /[A-Za-z]/.test(s) && /\d/.test(s);
/** Runs of one character or `xxxx`: documentation, not a credential. */
export function looksPlaceholder(body: string): boolean {
  return longRun(body, 16) || /([0*.#_-])\1{5,}|x{4,}|X{4,}|\.\.\.|…|your|example_|<|>|\*{3,}/.test(body);
}
/** One character `n` or more times in a row (the regex (.)\1{n-1,}, without its backtracking). */
function longRun(v: string, n: number): boolean {
  let run = 1;
  for (let k = 1; k < v.length; k++) {
    if (v.charCodeAt(k) === v.charCodeAt(k - 1)) {
      if (++run >= n) return true;
    } else run = 1;
  }
  return n <= 1 && v.length > 0;
}
/**
 * Mostly runs of the alphabet or of digits (`abcdefgh…0123456789`, `123456789:ABC-DEF`): written by hand, not drawn.
 * Used where nothing but the shape vouches for a value (generic assignments, context rules); a provider's prefix does.
 */
export function sequential(v: string): boolean {
  if (v.length < 8) return false;
  let asc = 0;
  for (let k = 1; k < v.length; k++) if (v.charCodeAt(k) === v.charCodeAt(k - 1) + 1) asc++;
  return asc * 2 >= v.length - 1;
}
/** Mixed case or digits: random, unlike an identifier or an English word. */
export function mixed(v: string): boolean {
  let cls = 0;
  if (/[a-z]/.test(v)) cls++;
  if (/[A-Z]/.test(v)) cls++;
  if (/\d/.test(v)) cls++;
  return cls >= 2;
}
