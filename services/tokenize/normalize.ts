import { decodeHTML } from 'entities';

/**
 * The normalised view the detectors read, and the way back to the original text.
 *
 * Values arrive written in ways a detector's patterns do not see: zero-width characters and soft hyphens inside
 * them, Unicode spaces and dashes as separators, fullwidth digits, percent-encoding, JSON escapes, HTML entities,
 * "john [at] example [dot] com", digits spaced out one by one, homoglyphs. `normalizeView` builds one string in
 * which those read as the plain value, and remembers for every view character the range of the original it stands
 * for, so that the caller replaces the ORIGINAL span (with every invisible or encoded character inside it).
 * Line-wrapped values and base64 segments need a second look; `lineJoins` and `base64Segments` give the pieces.
 * Every pass is linear in its input and bounded (rounds of decoding, growth, segment length, decoded budget).
 */

export interface View {
  text: string;
  /** For view char i, the original range [start[i], end[i]); both null when the view is the text itself. */
  start: Offsets | null;
  end: Offsets | null;
}

export const LIMITS = {
  /** Rounds of decoding (percent, JSON escapes, HTML entities): `%2540` takes two. */
  decodeDepth: 4,
  /** A view may grow by compatibility expansion (U+FDFA is 18 characters in NFKC) to this many times the input plus 1 KiB. */
  growth: 2,
  /** Characters with marks or compatibility forms normalised one at a time, per field; past it marks are only stripped. */
  clusters: 16_384,
  /** Base64 inside base64 inside the text: levels decoded. */
  base64Depth: 2,
  /** Longest base64 run decoded, in characters (a longer one is an attachment or a key body, not a value). */
  base64MaxChars: 16_384,
  /** Base64 decoded per field, in bytes, over all segments and levels. */
  base64Budget: 64 * 1024,
  /** Base64 segments decoded per field. */
  base64Segments: 256,
  /** Rewrites per field (decoded sequences, "[at]" addresses, spaced runs): past it the rest is read as written. */
  rewrites: 16_384,
  /** Line breaks looked at for a value wrapped across them, per field. */
  lineJoins: 64,
  /** Longest field (chars) also scanned as written when its view differs; a longer one is scanned as the view only. */
  asWrittenChars: 65_536,
} as const;

/**
 * A LIMITS entry that stopped work on a field: past it the rest of the field was read as written (rewrites,
 * clusters, growth, decodeDepth), breaks were not looked at (lineJoins), or base64 was not decoded (base64MaxChars,
 * base64Budget, base64Segments). A bound hit is not an error (the field is still scanned), but the caller should count
 * it: a value in the part left undone was not seen through its disguise.
 */
export type Bound = 'decodeDepth' | 'growth' | 'clusters' | 'rewrites' | 'lineJoins' | 'base64MaxChars' | 'base64Budget' | 'base64Segments';
/** Passed (optionally) to normalizeView, lineJoins and base64Segments, which add each bound they stopped at. One per field. */
export type Bounds = Set<Bound>;

/** Work left for one field, shared by its passes: the bound that keeps a hostile field linear and short. */
interface Work {
  rewrites: number;
  clusters: number;
  /** the growth bound set `clusters` to 0 (what is skipped after it is the growth bound's doing) */
  grew: boolean;
  hit: Bounds | undefined;
}

export const identityView = (text: string): View => ({ text, start: null, end: null });

/** The original range that view range [s, e) stands for. */
export function toOriginal(v: View, s: number, e: number): [number, number] {
  if (!v.start || !v.end) return [s, e];
  if (e <= s) {
    const p = s < v.start.length ? v.start[s]! : v.end[v.end.length - 1] ?? 0;
    return [p, p];
  }
  return [v.start[s]!, v.end[e - 1]!];
}

/** Accumulates a pass's output and, per output char, the original range (composed through the source view). */
type Offsets = Int32Array;
// Maps are always Int32Array (one element kind keeps the hot loops monomorphic; mixing plain arrays for short fields
// made long ones several times slower). Short ones are carved out of a shared slab: cheaper than an ArrayBuffer each.
let slab = new ArrayBuffer(1 << 20);
let slabAt = 0;
function i32(n: number): Int32Array {
  const bytes = n * 4;
  if (bytes > 1 << 16) return new Int32Array(n);
  if (slabAt + bytes > slab.byteLength) {
    slab = new ArrayBuffer(1 << 20);
    slabAt = 0;
  }
  const a = new Int32Array(slab, slabAt, n);
  slabAt += bytes;
  return a;
}
function u16(n: number): Uint16Array {
  // from the same slab, in whole 4-byte slots
  const bytes = ((n * 2 + 3) >> 2) << 2;
  if (bytes > 1 << 16) return new Uint16Array(n);
  if (slabAt + bytes > slab.byteLength) {
    slab = new ArrayBuffer(1 << 20);
    slabAt = 0;
  }
  const a = new Uint16Array(slab, slabAt, n);
  slabAt += bytes;
  return a;
}

const utf16 = new TextDecoder('utf-16le');
/**
 * Node returns a decoded string of 1,031,913 characters (its EXTERN_APEX) or more as an external two-byte string,
 * whatever its characters, and the detectors' regexes then read it as two-byte (a megabyte of fullwidth digits took a
 * fifth longer to scan); shorter ones come back one-byte when they can. Codes that all fit a byte are made a one-byte
 * string instead, through a byte buffer.
 */
const LATIN1_FROM = 1_031_913;
function text16(c: Uint16Array): string {
  if (c.length <= 4096) return String.fromCharCode.apply(null, c as unknown as number[]);
  if (c.length < LATIN1_FROM) return utf16.decode(c);
  const bytes = Buffer.allocUnsafe(c.length);
  for (let i = 0; i < c.length; i++) {
    const x = c[i]!;
    if (x > 255) return utf16.decode(c);
    bytes[i] = x;
  }
  return bytes.toString('latin1');
}

/** The output of one pass: its chars in a code buffer (no string per piece) and, per char, the original range. */
class Out {
  private extra = 0;
  private len = 0;
  private c: Uint16Array;
  private s: Offsets;
  private e: Offsets;
  constructor(
    private readonly src: View,
    /** How many chars the output may exceed its source by (compatibility expansion). */
    private readonly maxExtra: number,
  ) {
    const n = src.text.length + 16;
    this.c = u16(n);
    this.s = i32(n);
    this.e = i32(n);
  }

  private room(k: number): void {
    if (this.len + k <= this.s.length) return;
    const cap = Math.max(this.s.length * 2, this.len + k);
    const c = u16(cap);
    const s = i32(cap);
    const e = i32(cap);
    c.set(this.c.subarray(0, this.len));
    s.set(this.s.subarray(0, this.len));
    e.set(this.e.subarray(0, this.len));
    this.c = c;
    this.s = s;
    this.e = e;
  }

  /** Source chars [a, b) unchanged. */
  copy(a: number, b: number): void {
    if (b > a) this.shifted(a, b, 0);
  }

  /** Source chars [a, b), each replaced one for one by its code plus `d`. */
  shifted(a: number, b: number, d: number): void {
    this.room(b - a);
    const t = this.src.text;
    const ps = this.src.start;
    const pe = this.src.end;
    const { c, s, e } = this;
    let n = this.len;
    if (ps && pe) for (let i = a; i < b; i++, n++) { c[n] = t.charCodeAt(i) + d; s[n] = ps[i]!; e[n] = pe[i]!; }
    else for (let i = a; i < b; i++, n++) { c[n] = t.charCodeAt(i) + d; s[n] = i; e[n] = i + 1; }
    this.len = n;
  }

  /** `str` stands for source chars [a, b); each of its chars maps to the whole range. Over the growth bound the source is kept as it is. */
  emit(str: string, a: number, b: number): boolean {
    if (str.length > b - a) {
      if (this.extra + str.length - (b - a) > this.maxExtra) {
        this.copy(a, b);
        return false;
      }
      this.extra += str.length - (b - a);
    }
    this.room(str.length);
    const os = this.src.start ? this.src.start[a]! : a;
    const oe = this.src.end ? this.src.end[b - 1]! : b;
    for (let k = 0; k < str.length; k++, this.len++) { this.c[this.len] = str.charCodeAt(k); this.s[this.len] = os; this.e[this.len] = oe; }
    return true;
  }

  /** `str` replaces source chars [a, a + str.length) one for one. */
  aligned(str: string, a: number): void {
    this.room(str.length);
    const ps = this.src.start;
    const pe = this.src.end;
    let m = this.len;
    for (let k = 0; k < str.length; k++, m++) {
      this.c[m] = str.charCodeAt(k);
      this.s[m] = ps ? ps[a + k]! : a + k;
      this.e[m] = pe ? pe[a + k]! : a + k + 1;
    }
    this.len = m;
  }

  /** Source char a replaced one for one by `code`. */
  code(code: number, a: number): void {
    this.room(1);
    this.c[this.len] = code;
    this.s[this.len] = this.src.start ? this.src.start[a]! : a;
    this.e[this.len] = this.src.end ? this.src.end[a]! : a + 1;
    this.len++;
  }

  /** One char `code` standing for source chars [a, b). */
  one(code: number, a: number, b: number): void {
    this.room(1);
    this.c[this.len] = code;
    this.s[this.len] = this.src.start ? this.src.start[a]! : a;
    this.e[this.len] = this.src.end ? this.src.end[b - 1]! : b;
    this.len++;
  }

  done(): View {
    return { text: text16(this.c.subarray(0, this.len)), start: this.s.subarray(0, this.len), end: this.e.subarray(0, this.len) };
  }
}

// ---------- Unicode: invisibles, NFKC, dashes, spaces, quotes, tag characters ----------

function isInvisible(c: number): boolean {
  return c === 0xad || c === 0x34f || c === 0x61c || c === 0x115f || c === 0x1160 || c === 0x17b4 || c === 0x17b5 ||
    (c >= 0x180b && c <= 0x180f) || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x206f) || c === 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) ||
    c === 0xfeff || c === 0xffa0 || (c >= 0xfff9 && c <= 0xfffb) || (c >= 0x1bca0 && c <= 0x1bca3) ||
    c === 0xe0001 || c === 0xe007f || (c >= 0xe0100 && c <= 0xe01ef);
}

/** Characters NFKC leaves alone that still read as an ASCII separator. */
const PUNCT: Record<string, string> = {
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2043': '-', '\u2212': '-',
  '\u2e3a': '-', '\u2e3b': '-', '\u058a': '-', '\u05be': '-', '\u1806': '-', '\u2e17': '-', '\ufe58': '-',
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"',
  '\u201f': '"', '\u2033': '"', '\u2044': '/', '\u2215': '/', '\u3002': '.', '\u1680': ' ', '\u2028': '\n', '\u2029': '\n',
  '\u0085': '\n',
};
const PUNCT_RE = /[\u2010-\u2015\u2043\u2212\u2e3a\u2e3b\u058a\u05be\u1806\u2e17\ufe58\u2018-\u201f\u2032\u2033\u2044\u2215\u3002\u1680\u2028\u2029\u0085]/g;
const mapPunct = (s: string) => (PUNCT_RE.test(s) ? ((PUNCT_RE.lastIndex = 0), s.replace(PUNCT_RE, (c) => PUNCT[c]!)) : s);
const MARK = /\p{M}/u;
const isAlnumCode = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigitCode = (c: number) => (c >= 48 && c <= 57) || (c >= 0xff10 && c <= 0xff19);
const PROSE_DASH = (c: number) => c === 0x2014 || c === 0x2015 || c === 0x2e3a || c === 0x2e3b;

/** Spaces NFKC turns into U+0020 and the PUNCT table, as one-for-one code maps. */
const ONE_FOR_ONE = new Map<number, number>();
for (const [k, v] of Object.entries(PUNCT)) ONE_FOR_ONE.set(k.charCodeAt(0), v.charCodeAt(0));
for (const c of [0xa0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000]) ONE_FOR_ONE.set(c, 32);
// Decimal digits of other scripts (Arabic-Indic ٠-٩, Persian ۰-۹, Devanagari, Bengali, Thai ...): NFKC leaves them, yet a
// phone, card or house number written in them is the same value; every such block is a run of ten from its zero.
// (Fullwidth digits are handled with the rest of fullwidth ASCII; mathematical digits are astral and go through NFKC.)
{
  const ND = /\p{Nd}/u;
  let zero = -1;
  for (let c = 0x100; c < 0xff10; c++) {
    if (!ND.test(String.fromCharCode(c))) {
      zero = -1;
      continue;
    }
    if (zero === -1) zero = c;
    ONE_FOR_ONE.set(c, 48 + ((c - zero) % 10));
  }
}

/** Letters NFKC leaves as they are (common scripts, precomposed Latin): no call into ICU for them. */
function nfkcStable(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0x3041 && c <= 0x3096) || (c >= 0x30a1 && c <= 0x30fa) ||
    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xc0 && c <= 0xff) || (c >= 0x100 && c <= 0x17e && c !== 0x132 && c !== 0x133 && c !== 0x13f && c !== 0x140 && c !== 0x149) ||
    (c >= 0x391 && c <= 0x3c9) || (c >= 0x400 && c <= 0x4ff) || (c >= 0x5d0 && c <= 0x5ea) || (c >= 0x621 && c <= 0x64a) ||
    (c >= 0x900 && c <= 0x97f && !isMarkCode(c) && (c < 0x958 || c > 0x95f)) || c === 0x30fc || c === 0x3001;
}
let MARKS: Uint8Array | undefined;
/** Combining marks of the BMP, from a bitmap built once (a regex test per character is too slow for a hostile megabyte). */
const isMarkCode = (c: number) => {
  if (c < 0x300) return false;
  if (!MARKS) {
    MARKS = new Uint8Array(0x10000);
    for (let k = 0x300; k < 0x10000; k++) if (MARK.test(String.fromCharCode(k))) MARKS[k] = 1;
  }
  return MARKS[c] === 1;
};
// astral ranges NFKC changes: mathematical letters and digits, enclosed alphanumerics, CJK compatibility ideographs
const astralChanges = (cp: number) => (cp >= 0x1d400 && cp <= 0x1d7ff) || (cp >= 0x1f100 && cp <= 0x1f1ff) || (cp >= 0x2f800 && cp <= 0x2fa1f);

/** What the Unicode pass does with a BMP code unit, from one table built once (a hostile megabyte of non-ASCII pays one lookup per character). */
const K_KEEP = 0;
const K_SURROGATE = 1;
const K_INVISIBLE = 2;
const K_FULLWIDTH = 3;
const K_ONE = 4;
const K_CLUSTER = 5;
/** a combining mark (not an invisible one): joins the cluster of the base before it */
const K_MARK = 6;
let KINDS: Uint8Array | undefined;
/** NFKC (with the PUNCT map) of single code units seen so far, shared by all fields; bounded. */
const NFKC_ONE = new Map<number, string>();
function kinds(): Uint8Array {
  if (KINDS) return KINDS;
  const k = new Uint8Array(0x10000);
  for (let c = 128; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdbff) k[c] = K_SURROGATE;
    else if (isInvisible(c)) k[c] = K_INVISIBLE;
    else if (c >= 0xff01 && c <= 0xff5e) k[c] = K_FULLWIDTH;
    else if (ONE_FOR_ONE.has(c)) k[c] = K_ONE;
    else if (nfkcStable(c)) k[c] = K_KEEP;
    else k[c] = isMarkCode(c) ? K_MARK : K_CLUSTER;
  }
  return (KINDS = k);
}

/**
 * One loop over the text. ASCII and stable letters are left where they are; one-for-one changes (fullwidth ASCII,
 * Unicode spaces and dashes) are written as codes; invisibles are dropped; anything else goes through NFKC
 * with its combining marks, within `work.clusters` (past it marks are only stripped) and the growth bound.
 */
function unicodePass(v: View, work: Work): View {
  const t = v.text;
  const n = t.length;
  // (the first non-ASCII unit by a regex scan: a decoded megabyte of ASCII is read natively, not char by char)
  let i = t.search(G_UNICODE);
  if (i === -1) return v;
  const o = new Out(v, n * (LIMITS.growth - 1) + 1024);
  let pos = 0; // source chars before pos are emitted
  let changed = false;
  const one = (at: number, code: number) => {
    o.copy(pos, at);
    o.code(code, at);
    pos = at + 1;
    changed = true;
  };
  /** `str` stands for [a, b). */
  const put = (str: string, a: number, b: number) => {
    o.copy(pos, a);
    if (str && !o.emit(str, a, b)) {
      work.clusters = 0;
      work.grew = true;
      work.hit?.add('growth');
    }
    pos = b;
    changed = true;
  };
  // a character left un-normalised past the clusters bound (recorded once, at the end)
  let skipped = false;

  const kind = kinds();
  while (i < n) {
    const c = t.charCodeAt(i);
    const k = c < 128 ? K_KEEP : kind[c]!;
    if (k === K_KEEP) {
      i++;
      continue;
    }
    if (k === K_SURROGATE) {
      const cp = t.codePointAt(i)!;
      const w = cp > 0xffff ? 2 : 1;
      // tag characters: invisible ASCII ("ASCII smuggling"); read as the ASCII they stand for
      if (cp >= 0xe0020 && cp <= 0xe007e) put(String.fromCharCode(cp - 0xe0000), i, i + w);
      else if (isInvisible(cp)) put('', i, i + w);
      else if (astralChanges(cp)) {
        if (work.clusters > 0) {
          work.clusters--;
          const cl = t.slice(i, i + w);
          const nf = cl.normalize('NFKC');
          if (nf !== cl) put(nf, i, i + w);
        } else skipped = true;
      }
      i += w;
      continue;
    }
    if (k === K_INVISIBLE) {
      put('', i, i + 1);
      i++;
      continue;
    }
    if (k === K_FULLWIDTH) {
      // fullwidth ASCII: what NFKC does, without the call; a run of them in one go
      let e = i + 1;
      while (e < n && t.charCodeAt(e) >= 0xff01 && t.charCodeAt(e) <= 0xff5e) e++;
      o.copy(pos, i);
      o.shifted(i, e, -0xfee0);
      pos = e;
      changed = true;
      i = e;
      continue;
    }
    if (k === K_ONE) {
      const m = ONE_FOR_ONE.get(c)!;
      // an em dash is a separator only next to a digit (`+61—431—974`); spaced or between words it is prose
      // punctuation (`7875 — 9:00`, `London—Paris`), and as '-' it would join two words into one name
      if (!PROSE_DASH(c) || isDigitCode(t.charCodeAt(i - 1)) || isDigitCode(t.charCodeAt(i + 1))) one(i, m);
      i++;
      continue;
    }
    const mark = k === K_MARK;
    if (work.clusters <= 0 && !mark && !(i + 1 < n && kind[t.charCodeAt(i + 1)] === K_MARK)) {
      // past the bound, a character without marks stays as it is, and so does the run of letters after it (one tight
      // loop to the next character that still has something done to it: a megabyte of U+FDFA is past the bound
      // after 16,384 of them)
      skipped = true;
      for (i++; i < n; i++) {
        const d = t.charCodeAt(i);
        if (d < 128) continue;
        const kd = kind[d]!;
        if (kd === K_KEEP) continue;
        if (kd !== K_CLUSTER || (i + 1 < n && kind[t.charCodeAt(i + 1)] === K_MARK)) break;
      }
      continue;
    }
    // a base with its combining marks; a mark right after a base we have not changed takes that base
    let a = i;
    if (mark && i > 0 && i - 1 >= pos && kind[t.charCodeAt(i - 1)] !== K_MARK) a = i - 1;
    let e = i + 1;
    // (an invisible mark, a variation selector, is not in the cluster: it is dropped on its own)
    while (e < n && kind[t.charCodeAt(e)] === K_MARK) e++;
    if (work.clusters <= 0) {
      // past the bound: no more NFKC, but marks still go (a digit with an accent is a digit)
      skipped = true;
      if (mark) put('', i, e);
      else if (e > i + 1) put(t[i]!, i, e);
      i = e;
      continue;
    }
    work.clusters--;
    const cl = t.slice(a, e);
    let nf: string | undefined;
    if (e - a === 1) {
      // one code unit: NFKC of it once per field kind of text, not once per occurrence (still counted in the bound)
      nf = NFKC_ONE.get(c);
      if (nf === undefined) {
        nf = mapPunct(cl.normalize('NFKC'));
        if (NFKC_ONE.size < 4096) NFKC_ONE.set(c, nf);
      }
    } else nf = mapPunct(cl.normalize('NFKC'));
    if (nf !== cl) {
      if (nf.length === 1 && e - a === 1) one(a, nf.charCodeAt(0));
      else put(nf, a, e);
    }
    i = e;
  }
  if (skipped && !work.grew) work.hit?.add('clusters');
  if (!changed) return v;
  o.copy(pos, n);
  return o.done();
}

// ---------- Homoglyphs: Cyrillic and Greek letters inside Latin words ----------

const CONFUSABLE: Record<string, string> = {
  // Cyrillic
  а: 'a', в: 'b', е: 'e', к: 'k', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', һ: 'h', ӏ: 'l',
  ԛ: 'q', ԝ: 'w', ү: 'y', А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X',
  Ѕ: 'S', І: 'I', Ј: 'J', Ү: 'Y', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I',
  // Greek
  α: 'a', ο: 'o', ρ: 'p', ν: 'v', ι: 'i', κ: 'k', υ: 'u', χ: 'x', Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I',
  Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};
const CONFUSABLE_RE = new RegExp(`[${Object.keys(CONFUSABLE).join('')}]`);
/** The block the look-alikes are in (Greek to Cyrillic Supplement): a range scans a two-byte megabyte in a fifth of the set's time. */
const CONFUSABLE_BLOCK = /[\u0391-\u052f]/;
/** Look-alike code to its Latin code (0: none); every look-alike is below U+0530. */
const CONFUSABLE_TABLE = new Uint16Array(0x530);
for (const [k, v] of Object.entries(CONFUSABLE)) CONFUSABLE_TABLE[k.charCodeAt(0)] = v.charCodeAt(0);
const WORD_RUN = /\S+/g;
const LATIN_OR_AT = /[A-Za-z@]/;

/**
 * Maps look-alike letters to Latin only inside a word that also has Latin letters or an '@' (UTS #39's mixed-script
 * signal), so Russian or Greek prose and names stay as they are. One for one: the offsets do not move.
 */
function homoglyphPass(v: View): View {
  const t = v.text;
  if (!CONFUSABLE_BLOCK.test(t) || !CONFUSABLE_RE.test(t)) return v;
  // one code buffer for the whole text, written in place (a megabyte-long "word" of look-alikes must not become a
  // megabyte of small arrays and string pieces)
  let buf: Uint16Array | undefined;
  WORD_RUN.lastIndex = 0;
  for (let m = WORD_RUN.exec(t); m; m = WORD_RUN.exec(t)) {
    const w = m[0];
    if (!CONFUSABLE_RE.test(w) || !LATIN_OR_AT.test(w)) continue;
    if (!buf) {
      buf = new Uint16Array(t.length);
      for (let k = 0; k < t.length; k++) buf[k] = t.charCodeAt(k);
    }
    for (let k = m.index, e = m.index + w.length; k < e; k++) {
      const c = buf[k]!;
      if (c < CONFUSABLE_TABLE.length && CONFUSABLE_TABLE[c] !== 0) buf[k] = CONFUSABLE_TABLE[c]!;
    }
  }
  if (!buf) return v;
  return { text: text16(buf), start: v.start, end: v.end };
}

// ---------- Encodings: percent, JSON/JS escapes, HTML entities, '+' for space in form values ----------

const ENCODED = /%u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}|&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?|\\(?:u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|x[0-9A-Fa-f]{2}|[nrt"'\\/])|\+(?=[A-Za-z0-9])/g;
const JS_ESC: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '/': '/' };
const hexAt = (t: string, i: number) => {
  const h = (c: number) => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);
  const x = h(t.charCodeAt(i));
  const y = h(t.charCodeAt(i + 1));
  return x < 0 || y < 0 ? -1 : x * 16 + y;
};

/**
 * `a+b` is `a b` inside a form value: an '=' earlier in the same whitespace-free run, no quote between, and the run
 * a form body or query (`page=34&iban=ES79+2027+...`), not `key='qBF+Rt...'`. Both looks reach at most 512
 * characters. Asked in text order, so one forward scan answers every '+' of a field: a megabyte of `a=1+` costs a
 * pass over it, not 512 steps per plus.
 */
export class FormValues {
  /** scanned up to here; the last stop char (& ? quote whitespace) and '=' before it */
  private at = 0;
  private stop = -1;
  private stopKind = 0;
  private eq = -1;
  /** the first stop char (& quote whitespace) after the last position asked, or (kind 0) how far none was seen */
  private fwd = -1;
  private fwdKind = 0;
  constructor(private readonly t: string) {}

  has(i: number): boolean {
    const t = this.t;
    for (; this.at < i; this.at++) {
      const c = t.charCodeAt(this.at);
      if (c === 61) this.eq = this.at;
      else if (c === 38 || c === 63 || c === 34 || c === 39 || c === 32 || c === 10 || c === 9 || c === 13) {
        this.stop = this.at;
        this.stopKind = c;
      }
    }
    let eq: boolean;
    if (this.stop >= i - 512 && this.stop >= 0) {
      const k = this.stopKind;
      if (k === 34 || k === 39) return false;
      eq = this.eq > this.stop;
      if (k === 38 || k === 63) return eq;
    } else eq = this.eq >= 0 && this.eq >= i - 512;
    if (!eq) return false;
    // the first pair of a body: an '&' after it in the same run
    if (this.fwd <= i) {
      this.fwd = i + 1;
      this.fwdKind = 0;
    }
    if (this.fwdKind === 0) {
      // nothing stops the run before fwd: go on from there
      let j = this.fwd;
      for (; j < t.length && j - i <= 512; j++) {
        const c = t.charCodeAt(j);
        if (c === 38 || c === 32 || c === 10 || c === 9 || c === 13 || c === 34 || c === 39) {
          this.fwdKind = c;
          break;
        }
      }
      this.fwd = j;
    }
    return this.fwdKind === 38 && this.fwd - i <= 512;
  }
}

/** Decodes a run of %XX bytes as UTF-8; bytes that are not valid UTF-8 stay as written. Returns where the run ends. */
function percentRun(t: string, a: number, o: Out): number {
  const bytes: number[] = [];
  let i = a;
  while (i + 2 < t.length + 0 && t.charCodeAt(i) === 37) {
    const b = hexAt(t, i + 1);
    if (b < 0) break;
    bytes.push(b);
    i += 3;
  }
  let k = 0;
  while (k < bytes.length) {
    const b0 = bytes[k]!;
    const n = b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    let cp = n === 1 ? b0 : n === 2 ? b0 & 0x1f : n === 3 ? b0 & 0x0f : b0 & 0x07;
    let ok = n > 0 && k + n <= bytes.length;
    for (let j = 1; ok && j < n; j++) {
      const bj = bytes[k + j]!;
      if ((bj & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (bj & 0x3f);
    }
    if (ok && ((n === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    const at = a + k * 3;
    if (ok) {
      o.emit(String.fromCodePoint(cp), at, at + n * 3);
      k += n;
    } else {
      o.copy(at, at + 3);
      k++;
    }
  }
  return i;
}

function decodePass(v: View, plusIsSpace: boolean, work: Work): View {
  const t = v.text;
  ENCODED.lastIndex = 0;
  let m = ENCODED.exec(t);
  if (!m) return v;
  if (work.rewrites <= 0) {
    // the bound is spent (the next round of a field that hit it): nothing is decoded, so no output buffers either
    work.hit?.add('rewrites');
    return v;
  }
  const o = new Out(v, 16);
  let pos = 0;
  let changed = false;
  let form: FormValues | undefined;
  for (; m && work.rewrites > 0; m = ENCODED.exec(t), work.rewrites--) {
    const a = m.index;
    const s = m[0];
    let b = a + s.length;
    const c0 = s.charCodeAt(0);
    let dec: string | undefined;
    if (c0 === 37 && s[1] === 'u') {
      // %uXXXX, the old escape() form some servers still accept
      dec = String.fromCharCode(parseInt(s.slice(2), 16));
    } else if (c0 === 37) {
      o.copy(pos, a);
      b = percentRun(t, a, o);
      pos = b;
      ENCODED.lastIndex = b;
      changed = true;
      continue;
    } else if (c0 === 38) {
      // named entities only with their ';' (`&notify=1` is a query, not `¬ify`); numeric ones without it too
      if (s[1] === '#' || s.endsWith(';')) {
        const d = decodeHTML(s);
        if (d !== s) dec = d;
      }
    } else if (c0 === 92) {
      const k = s[1]!;
      if (k === 'u' && s[2] === '{') {
        const cp = parseInt(s.slice(3, -1), 16);
        if (cp <= 0x10ffff) dec = String.fromCodePoint(cp);
      } else if (k === 'u') dec = String.fromCharCode(parseInt(s.slice(2), 16));
      else if (k === 'U') {
        const cp = parseInt(s.slice(2), 16);
        if (cp <= 0x10ffff) dec = String.fromCodePoint(cp);
      }
      else if (k === 'x') dec = String.fromCharCode(parseInt(s.slice(2), 16));
      else dec = JS_ESC[k];
    } else if (c0 === 43 && plusIsSpace && a > 0 && isAlnumCode(t.charCodeAt(a - 1)) && (form ??= new FormValues(t)).has(a)) dec = ' ';
    if (dec === undefined) continue;
    o.copy(pos, a);
    o.emit(dec, a, b);
    pos = b;
    changed = true;
  }
  if (m) work.hit?.add('rewrites');
  if (!changed) return v;
  o.copy(pos, t.length);
  return o.done();
}

// ---------- "john [at] example [dot] com" ----------

const SEP_AT = String.raw`[ \t]*[\[({<][ \t]*(?:[Aa][Tt]|@)[ \t]*[\])}>][ \t]*|[ \t]+(?:at|AT)[ \t]+|[ \t]*@[ \t]*`;
const SEP_DOT = String.raw`[ \t]*[\[({<][ \t]*(?:[Dd][Oo][Tt]|\.)[ \t]*[\])}>][ \t]*|[ \t]+(?:dot|DOT)[ \t]+|[ \t]*\.[ \t]*`;
const LOCAL = '[A-Za-z0-9_%+-]{1,64}';
const LABEL = '[A-Za-z0-9-]{1,63}';
const OBFUSCATED = new RegExp(
  `(?<![A-Za-z0-9_%+.@-])${LOCAL}(?:(?:${SEP_DOT})${LOCAL}){0,6}(?:${SEP_AT})${LABEL}(?:(?:${SEP_DOT})${LABEL}){1,6}(?![A-Za-z0-9-])`,
  'g',
);
const OBF_TRIGGER = /[\[({<][ \t]*(?:[Aa][Tt]|[Dd][Oo][Tt]|@|\.)[ \t]*[\])}>]|[ \t](?:dot|DOT|AT)[ \t]|[ \t]@|@[ \t]/;
const SEP = new RegExp(`(${SEP_AT})|(${SEP_DOT})`, 'g');
// bare-word separators only count before a TLD people write; bracketed ones before any TLD-shaped label
const COMMON_TLD = new Set(
  'com net org edu gov mil int io co uk de fr es it nl be ch at se no dk fi pl cz sk ru ua jp cn in br au ca us me fm ai app dev info biz tv eu ie pt gr tr hu ro mx ar za nz sg hk kr tw il ae email online site tech xyz'.split(' '),
);

function obfuscationPass(v: View, work: Work): View {
  const t = v.text;
  if (!OBF_TRIGGER.test(t)) return v;
  let o: Out | undefined;
  let pos = 0;
  OBFUSCATED.lastIndex = 0;
  let m = OBFUSCATED.exec(t);
  for (; m && work.rewrites > 0; m = OBFUSCATED.exec(t), work.rewrites--) {
    const a = m.index;
    const s = m[0];
    const seps: { at: number; len: number; ch: string; kind: 'plain' | 'spaced' | 'word' | 'bracket' }[] = [];
    SEP.lastIndex = 0;
    for (let x = SEP.exec(s); x; x = SEP.exec(s)) {
      const w = x[0];
      const kind = w === '.' || w === '@' ? 'plain' : /[\[({<]/.test(w) ? 'bracket' : /[.@]/.test(w) ? 'spaced' : 'word';
      seps.push({ at: x.index, len: w.length, ch: x[1] !== undefined ? '@' : '.', kind });
    }
    const last = seps[seps.length - 1]!;
    const tld = s.slice(last.at + last.len);
    const at = seps.filter((x) => x.ch === '@');
    const dotted = seps.some((x) => x.ch === '.' && x.kind !== 'plain');
    // "look at example.com" is prose: a lower-case " at " needs an obfuscated dot too; only brackets allow any TLD
    const ok = seps.some((x) => x.kind !== 'plain') && at.length === 1 && /^[A-Za-z]{2,24}$/.test(tld) &&
      (seps.some((x) => x.kind === 'bracket') || COMMON_TLD.has(tld.toLowerCase())) &&
      !(at[0]!.kind === 'word' && s.substr(at[0]!.at, at[0]!.len).trim() === 'at' && !dotted);
    if (!ok) {
      OBFUSCATED.lastIndex = a + 1;
      continue;
    }
    o ??= new Out(v, 16);
    o.copy(pos, a);
    let p = a;
    for (const x of seps) {
      o.copy(p, a + x.at);
      o.emit(x.ch, a + x.at, a + x.at + x.len);
      p = a + x.at + x.len;
    }
    o.copy(p, a + s.length);
    pos = a + s.length;
  }
  if (m) work.hit?.add('rewrites');
  if (!o) return v;
  o.copy(pos, t.length);
  return o.done();
}

// ---------- separators: "4 1 1 1  1 1 1 1 ...", "749 - 98 - 8726", "535ー20ー8118", "NO90-3422-8450-112" ----------

const SEPARATORS = /(?<![A-Za-z0-9])(?:[A-Za-z0-9] {1,2}){7,80}[A-Za-z0-9](?![A-Za-z0-9])|(?<![\d-])\d{1,6}(?: {1,3}[-\u30fc\u2500\u2501] {1,3}\d{1,6}){2,8}(?!\d)|(?<=\d)[\u30fc\u2500\u2501](?=\d)|(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:-[A-Z0-9]{1,4}){3,9}(?![A-Za-z0-9-])/g;

/**
 * - a run of single characters, at least four of them digits (OCR, or spaced on purpose): one space inside a
 *   group goes, two become one;
 * - three or more digit groups joined by dashes with spaces around them (`749 - 98 - 8726`), and a long-vowel mark
 *   or box-drawing line between digits: a plain '-';
 * - an IBAN printed in dashed groups: the dashes read as the spaces of its print form.
 */
function separatorPass(v: View, work: Work): View {
  const t = v.text;
  SEPARATORS.lastIndex = 0;
  let m = SEPARATORS.exec(t);
  if (!m) return v;
  let o: Out | undefined;
  let pos = 0;
  for (; m && work.rewrites > 0; m = SEPARATORS.exec(t), work.rewrites--) {
    const s = m[0];
    const a = m.index;
    const c0 = s.charCodeAt(0);
    if (c0 > 127) {
      o ??= new Out(v, 16);
      o.copy(pos, a);
      o.emit('-', a, a + s.length);
      pos = a + s.length;
      continue;
    }
    if (/^\d+ +[^ 0-9]/.test(s)) {
      // digit groups joined by spaced dashes: the dashes without their spaces (char by char into the output: a
      // megabyte of matches should not be a megabyte of small arrays and strings)
      o ??= new Out(v, 16);
      o.copy(pos, a);
      for (let k = 0; k < s.length; ) {
        if (s.charCodeAt(k) !== 32) {
          o.one(s.charCodeAt(k), a + k, a + k + 1);
          k++;
          continue;
        }
        let q = k;
        while (s.charCodeAt(q) === 32 || !(s.charCodeAt(q) >= 48 && s.charCodeAt(q) <= 57)) q++;
        o.one(45, a + k, a + q);
        k = q;
      }
      pos = a + s.length;
      continue;
    }
    if (s.charCodeAt(1) !== 32) {
      // dashed IBAN groups
      o ??= new Out(v, 16);
      o.copy(pos, a);
      let p = a;
      for (let k = s.indexOf('-'); k !== -1; k = s.indexOf('-', k + 1)) {
        o.copy(p, a + k);
        o.emit(' ', a + k, a + k + 1);
        p = a + k + 1;
      }
      o.copy(p, a + s.length);
      pos = a + s.length;
      continue;
    }
    let digits = 0;
    for (let k = 0; k < s.length; k += 1) if (s.charCodeAt(k) >= 48 && s.charCodeAt(k) <= 57) digits++;
    if (digits < 4) continue;
    o ??= new Out(v, 16);
    o.copy(pos, a);
    for (let k = 0; k < s.length; ) {
      o.one(s.charCodeAt(k), a + k, a + k + 1);
      k++;
      if (k < s.length) {
        const two = s.charCodeAt(k + 1) === 32;
        if (two) o.one(32, a + k, a + k + 1);
        k += two ? 2 : 1;
      }
    }
    pos = a + s.length;
  }
  if (m) work.hit?.add('rewrites');
  if (!o) return v;
  o.copy(pos, t.length);
  return o.done();
}

const NEED_UNICODE = 1;
const NEED_DECODE = 2;
const NEED_OBFUSCATION = 4;
const NEED_SEPARATORS = 8;

const G_UNICODE = /[^\x00-\x7f]/;
const G_DECODE = /[%&\\+]/;
const G_OBFUSCATION = /[\[({<] ?(?:[Aa][Tt]|[Dd][Oo][Tt]|@|\.) ?[\])}>]| @|@ | (?:dot|DOT|AT|\.) /;
const G_SEPARATORS = /\d [0-9A-Za-z] [0-9A-Za-z] |\d - \d|[A-Z]{2}\d{2}-[A-Z0-9]|\d[\u30fc\u2500\u2501]\d/;

/**
 * Which passes can have anything to do, from four regex scans (compiled to native loops: a megabyte costs about a
 * millisecond each), so plain ASCII prose pays for the scans instead of one pass each. The passes in `have` are
 * known to be needed already: their scans are skipped (each decoding round asks again what the rounds revealed).
 */
export function needs(t: string, have = 0, askUnicode = true): number {
  return (have & NEED_UNICODE || (askUnicode && G_UNICODE.test(t)) ? NEED_UNICODE : 0) | (have & NEED_DECODE || G_DECODE.test(t) ? NEED_DECODE : 0) |
    (have & NEED_OBFUSCATION || G_OBFUSCATION.test(t) ? NEED_OBFUSCATION : 0) | (have & NEED_SEPARATORS || G_SEPARATORS.test(t) ? NEED_SEPARATORS : 0);
}

/**
 * The view detectors read. Cheap when there is nothing to do: plain ASCII without encodings comes back as itself.
 * `bounds`, when given, collects the LIMITS that stopped work on this text.
 */
export function normalizeView(text: string, bounds?: Bounds): View {
  let v = identityView(text);
  let need: number;
  let work: Work;
  if (G_UNICODE.test(text)) {
    work = { rewrites: LIMITS.rewrites, clusters: LIMITS.clusters, grew: false, hit: bounds };
    v = unicodePass(v, work);
    // fullwidth '％' or an en dash read as ASCII now: what else there is to do is decided on the view (so the other
    // three scans are asked once, of the text the passes will read)
    need = needs(v.text, NEED_UNICODE);
  } else {
    need = needs(text, 0, false);
    if (need === 0) return v;
    work = { rewrites: LIMITS.rewrites, clusters: LIMITS.clusters, grew: false, hit: bounds };
  }
  if (need & NEED_DECODE) {
    let d = 0;
    for (; d < LIMITS.decodeDepth; d++) {
      // '+' is a space in a form value only as written: a '+' that %2B decoded to is a plus
      const n = decodePass(v, d === 0, work);
      if (n === v) break;
      v = unicodePass(n, work);
      // decoding can reveal "[at]" or spaced digits
      need |= needs(v.text, need);
    }
    // every round decoded something: whether one more would have is a trial pass, only when someone counts (one
    // regex scan when nothing is left; the trial's work is thrown away)
    if (d === LIMITS.decodeDepth && bounds &&
      decodePass(v, false, { rewrites: work.rewrites, clusters: 0, grew: false, hit: undefined }) !== v) bounds.add('decodeDepth');
  }
  if (need & NEED_UNICODE) v = homoglyphPass(v);
  if (need & NEED_OBFUSCATION) v = obfuscationPass(v, work);
  if (need & NEED_SEPARATORS) v = separatorPass(v, work);
  return v;
}

// ---------- values wrapped across a line break ----------

export interface Joined {
  /** The view with every line break that could sit inside a value (and a `> ` quote or indentation after it) taken out. */
  text: string;
  /** Map from `text` back to view offsets (as View.start/end, relative to the view). */
  map: View;
  /** Per glued break: where the left line's text ends and the right line starts in `text`, and the left end in the view. */
  glues: { left: number; right: number; lineEnd: number }[];
}

const JOIN_WINDOW = 256;
// per UTF-16 unit: 1 may end a value (A-Za-z0-9@:._+/=-), 2 may start one (A-Za-z0-9@._+-), 4 hints at one (0-9@)
const JOIN_CLASS = new Uint8Array(65536);
for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@._+-') JOIN_CLASS[ch.charCodeAt(0)] |= 3;
for (const ch of ':/=') JOIN_CLASS[ch.charCodeAt(0)] |= 1;
for (const ch of '0123456789@') JOIN_CLASS[ch.charCodeAt(0)] |= 4;
const LABEL_WORD = /^[A-Za-z]+:$/;
/** \s as JavaScript regexes read it. */
const jsSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
// a random token's head with no digit in it (`hf_JbiEJuxWDtViNHvjNqxzzHGdvm`): long, both cases; prose words are not
const TOKEN_HEAD = /^[A-Za-z0-9_-]{16,}$/;
const tokenHead = (s: string) => TOKEN_HEAD.test(s) && /[a-z]/.test(s) && /[A-Z]/.test(s);
const HINT_CHAR = /[0-9@]/;
/** Whether the 16 units before `at` are all token-head characters (else no token head of 16 or more ends there). */
function tokenTail(view: string, at: number): boolean {
  if (at < 16) return false;
  for (let i = at - 16; i < at; i++) {
    const c = view.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45)) return false;
  }
  return true;
}

/**
 * The view with its line breaks glued where the word before a break and the word after it look like parts of one
 * value (value characters on both sides, a digit or an '@' on one of them or a long mixed-case token head on the
 * left, the next line not a label such as `Email:`). Two variants when a digit group wraps to more digits: glued by nothing (`42219\n77220342582` is one
 * number) and by a space (`5125\n4833 1184 8755` is the next group). A span the detectors find there counts only
 * when it crosses a glued break; the rest was seen in the view already.
 */
export function lineJoins(view: string, bounds?: Bounds): Joined[] {
  const breaks: { l: number; lt: number; k: number; digits: boolean }[] = [];
  let j = view.indexOf('\n');
  // a view with no digit and no '@' has no hint anywhere: a break joins only after a long token head, and the 16
  // units before it say whether one can end there (a megabyte of `Alice: hi` lines walks no words)
  let noHint: boolean | undefined;
  while (j !== -1 && breaks.length < LIMITS.lineJoins) {
    let l = j;
    if (l > 0 && view.charCodeAt(l - 1) === 13) l--;
    let lt = l;
    while (lt > 0 && (view.charCodeAt(lt - 1) === 32 || view.charCodeAt(lt - 1) === 9)) lt--;
    let k = j + 1;
    while (k < view.length && (view.charCodeAt(k) === 32 || view.charCodeAt(k) === 9 || view.charCodeAt(k) === 62)) k++;
    // (a megabyte of short lines has a break every few characters: char tables and one walk per word, no copies
    // unless the words could join)
    if (lt > 0 && k < view.length && (JOIN_CLASS[view.charCodeAt(lt - 1)]! & 1) && (JOIN_CLASS[view.charCodeAt(k)]! & 2) &&
      !((noHint ??= !HINT_CHAR.test(view)) && !tokenTail(view, lt))) {
      let hint = false;
      let ws = lt;
      while (ws > 0 && ws > lt - 128 && !jsSpace(view.charCodeAt(ws - 1))) {
        ws--;
        if (JOIN_CLASS[view.charCodeAt(ws)]! & 4) hint = true;
      }
      let we = k;
      while (we < view.length && we < k + 128 && !jsSpace(view.charCodeAt(we))) {
        if (JOIN_CLASS[view.charCodeAt(we)]! & 4) hint = true;
        we++;
      }
      if ((hint || (lt - ws >= 16 && tokenHead(view.slice(ws, lt)))) && !LABEL_WORD.test(view.slice(k, we))) {
        const dl = view.charCodeAt(lt - 1);
        const dr = view.charCodeAt(k);
        breaks.push({ l, lt, k, digits: l === lt && dl >= 48 && dl <= 57 && dr >= 48 && dr <= 57 });
      }
    }
    j = view.indexOf('\n', j + 1);
  }
  // stopped with breaks left unlooked at
  if (j !== -1) bounds?.add('lineJoins');
  if (breaks.length === 0) return [];
  const variants = breaks.some((b) => b.digits) ? [false, true] : [false];
  return variants.map((spaced) => {
    // only windows around the breaks, so a megabyte of short lines costs windows, not megabytes; windows are kept
    // apart by a blank line, which no value spans
    const o = new Out(identityView(view), 2 * breaks.length + 16);
    const glues: Joined['glues'] = [];
    let len = 0;
    let pos = -1;
    for (const b of breaks) {
      const from = Math.max(0, b.lt - JOIN_WINDOW);
      if (pos === -1 || from > pos) {
        if (pos !== -1) {
          o.emit('\n\n', pos - 1, pos);
          len += 2;
        }
        pos = from;
      }
      // keep the spaces before the break (`2RIU \n> 7HV`): they were separators already
      const cut = b.l === b.lt ? b.lt : b.l;
      o.copy(pos, cut);
      len += cut - pos;
      const left = len;
      if (spaced && b.digits) {
        o.emit(' ', cut, b.k);
        len++;
      }
      glues.push({ left, right: len, lineEnd: b.lt });
      pos = b.k;
      const next = breaks[breaks.indexOf(b) + 1];
      const to = Math.min(view.length, b.k + JOIN_WINDOW);
      if (!next || next.lt - JOIN_WINDOW > to) {
        o.copy(pos, to);
        len += to - pos;
        pos = to;
      }
    }
    const map = o.done();
    return { text: map.text, map, glues };
  });
}

/**
 * A word of prose (lower case, capitalised, or all capitals, no digits) glued after a value that was already whole
 * on its line is the next line's first word, not the value's tail: `x@y.fm\nABC株式会社`, `ghp_…\nE-MAIL`.
 * A random token's tail (`uTTRPFUm`) is mixed case and still joins.
 */
export function proseWord(s: string): boolean {
  if (/[\d@._+/=:]/.test(s)) return false;
  const letters = s.replace(/[^\p{Lu}\p{Ll}]/gu, '');
  return letters.length > 0 && (/^\p{Lu}*$/u.test(letters) || /^\p{Lu}?\p{Ll}*$/u.test(letters));
}

// ---------- base64 ----------

export interface Base64Segment {
  /** View range of the encoded run, padding included. */
  start: number;
  end: number;
  /** What it decodes to, when that is text. */
  decoded: string;
}

const B64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') B64[c.charCodeAt(0)] = 1;
const B64_MIN = 12;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function printable(s: string): boolean {
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd) bad++;
  }
  return bad === 0 && s.trim().length > 0;
}

/**
 * Runs in the view that decode (standard or URL-safe base64) to text, within the length bound and `budget.left`
 * bytes and `budget.segments`. `covered(start, end)` says a run is inside a value found already (a JWT's parts): not decoded again.
 */
export function base64Segments(
  view: string,
  budget: { left: number; segments: number },
  covered?: (start: number, end: number) => boolean,
  bounds?: Bounds,
): Base64Segment[] {
  const out: Base64Segment[] = [];
  const n = view.length;
  let i = 0;
  while (i < n) {
    let c = view.charCodeAt(i);
    if (c >= 128 || B64[c] !== 1) {
      i++;
      continue;
    }
    let j = i + 1;
    let upper = c >= 65 && c <= 90;
    let lower = c >= 97 && c <= 122;
    while (j < n) {
      c = view.charCodeAt(j);
      if (c >= 128 || B64[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
      else if (c >= 97 && c <= 122) lower = true;
      j++;
    }
    const a = i;
    const bodyEnd = j;
    i = j + 1;
    if (bodyEnd - a < B64_MIN || !upper || !lower) continue;
    if (bodyEnd - a > LIMITS.base64MaxChars) {
      bounds?.add('base64MaxChars');
      continue;
    }
    if (budget.left <= 0 || budget.segments <= 0) {
      bounds?.add(budget.left <= 0 ? 'base64Budget' : 'base64Segments');
      break;
    }
    let e = bodyEnd;
    while (e < n && e - bodyEnd < 2 && view.charCodeAt(e) === 61) e++;
    if (covered?.(a, e)) continue;
    const body = view.slice(a, bodyEnd);
    if (body.length % 4 === 1) continue;
    const url = /[-_]/.test(body);
    if (url && /[+/]/.test(body)) continue;
    const bytes = Buffer.from(body, url ? 'base64url' : 'base64');
    budget.left -= bytes.length;
    // most runs are identifiers or random letters, not base64 of text: a control byte (which `printable` refuses
    // whatever the decoding) or too few bytes settle it without the decoder; ASCII bytes read as themselves
    if (bytes.length < 6) continue;
    let ascii = true;
    let control = false;
    for (let q = 0; q < bytes.length; q++) {
      const b = bytes[q]!;
      if (b >= 0x80) ascii = false;
      else if ((b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 0x7f) {
        control = true;
        break;
      }
    }
    if (control) continue;
    let text: string;
    if (ascii) text = bytes.toString('latin1');
    else {
      try {
        text = utf8.decode(bytes);
      } catch {
        continue;
      }
    }
    if (text.length < 6 || !printable(text)) continue;
    budget.segments--;
    out.push({ start: a, end: e, decoded: text });
  }
  return out;
}
