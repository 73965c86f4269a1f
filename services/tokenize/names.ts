/**
 * PERSON detection: a lexicon of ~40k given names and surnames from many locales and scripts (names-lexicon.ts, built
 * from @faker-js/faker), weighed against context: capitalisation, titles, greetings, introductions and kinship words
 * in several languages, field labels ("Name:", "Kontakt:", "Ansprechpartner:"), speaker labels, sign-offs, address
 * blocks, CSV name columns, lists of names, possessive 's, a verb or an e-mail right after. Ordinary words that are
 * also names ("will", "may", "chase"), places, brands and code identifiers need stronger evidence or never count.
 * One pass over the words, bounded look-around per word: linear in the text whatever its content.
 * Lower-case chat: a lexicon given name + surname in a chat slot (after a cue, "@", before a reporting verb), and
 * "hey it's X" openings. A name found once repeats in another case (whole names; single surnames or unseen words).
 * Lists of full names after a list cue or beside names found otherwise; Markdown table name columns; role labels and a
 * party's role or a record's details after a name; TODO owners and @author; Arabic/Persian names after a title; Chinese
 * names in lists or in English sentences (each in its own scan after the older ones).
 * Known gaps: a lower-case name with no cue, slot or list around it; a caseless-script name the lexicon lacks; an unseen single word with no cue; inflected forms
 * (Slavic cases) of names outside the lexicon; CJK names written without a cue or honorific and outside the lexicon.
 */
import { foldName } from './names-fold.js';
import { BOTH, COMMON, GIVEN, PLACE, SURNAME } from './names-lexicon.js';
import { COMMON_WORDS } from './names-words.js';

export interface NameSpan {
  start: number;
  end: number;
}

const G = 1; // given name
const S = 2; // surname
const W = 4; // an ordinary word (in some language) as well
const X = 8; // never part of a name on its own: brand, product, role, stop word
const P = 16; // surname particle (van, de, bin)
const T = 32; // title (Mr, Frau, Mme): a cue, never part of the name

const LEX = new Map<string, number>();
const addWords = (list: string, flag: number, folded: boolean) => {
  // (split on any white space: the hand-written lists run over several lines, and a line's last word must not keep its break)
  for (const w of list.split(/\s+/)) {
    if (!w) continue;
    LEX.set(w, (LEX.get(w) ?? 0) | flag);
    if (folded) {
      const f = foldName(w);
      if (f !== w) LEX.set(f, (LEX.get(f) ?? 0) | flag);
    }
  }
};
addWords(GIVEN, G, true);
addWords(SURNAME, S, true);
addWords(BOTH, G | S, true);
addWords(COMMON, W, false);
addWords(COMMON_WORDS, W, false);
// Capitalised words that open sentences, roles and brands/products that share a name's spelling.
addWords(`a an the this that these those my our your his her their its i we you he she they it please hello hi hey dear thanks
  thank regards patient customer client user employee contact mr mrs ms miss dr prof sir madam team all everyone note summary summarize
  summarise draft write rewrite translate extract compose classify explain debug why what when where who how is are was be can could
  would should ticket invoice order card phone email iban ssn ref re fw fwd subject from to for and or but with by on in at of as if
  then else assistant system human ai bot agent support admin sales billing user staff customer operator moderator sure here nothing
  ignore new old yes no ok okay cortana copilot llama mistral grok chatgpt gpt openai anthropic
  rust swift kotlin dart elixir flask laravel rails angular apache
  tomcat jetty airflow vault consul grafana loki kibana hadoop spark hive pandas selenium docker kubernetes
  oracle linux ubuntu debian fedora gentoo windows excel outlook teams slack zoom notion figma tableau looker
  lenovo adobe audi porsche ferrari lamborghini toyota honda nissan mazda subaru volvo renault peugeot citroen fiat
  lancia chevrolet cadillac chrysler jeep buick hyundai kia skoda opel rolls royce maserati bugatti
  mclaren martini bacardi smirnoff heineken nestle nike adidas puma reebok gucci prada chanel dior versace armani
  zara mango disney marvel netflix hulu amazon google alphabet microsoft apple meta facebook instagram whatsapp twitter tiktok youtube
  android iphone ipad macbook safari chrome firefox opera edge bing yahoo baidu alibaba tencent samsung huawei xiaomi sony nokia
  siemens bosch philips ikea lidl aldi tesco walmart costco starbucks mcdonalds wendys dennys kellogg
  colgate gillette pepsi fanta sprite dyson boeing airbus visa mastercard paypal stripe shopify salesforce sap cisco intel nvidia amd
  qualcomm ibm hp asus acer hogwarts inc ltd llc llp plc gmbh corp sarl srl bv nv
  है हूँ हूं हैं था थी और ครับ ค่ะ คะ และ ვარ და ხარ եմ ես և هستم است و ہے ہوں اور`, X, false);
// Products and tools named like people: a name only with a cue or a second name word ("Julia Roberts").
addWords(`claude gemini alexa siri jarvis bard ruby julia crystal django jenkins kafka cassandra phoenix ember jasper luigi nomad sentry
  tesla ford dell mercedes bentley lincoln dodge jaguar aston mint arch corona hermes zara mango target wendy denny martini`, W, false);
addWords(`mr mrs ms mx miss dr prof sir dame herr herrn frau fr hr dhr mevr mme mlle monsieur madame mademoiselle sr sra srta señor
  señora señorita doña sig signor signora dott pani pana panią pán paní úr bayan sayın господин госпожа пан пані κ κος κα κύριος κυρία
  ông bà السيد السيدة מר آقای آقا خانم جناب دکتر الآنسة الأستاذة الدكتورة श्री श्रीमती सुश्री גברת`, T, false);
// Firms named after people ("Morgan Stanley"): the whole run is a company.
const EPONYMS = new Set(`morgan stanley|goldman sachs|wells fargo|charles schwab|merrill lynch|lehman brothers|dow jones|louis vuitton|calvin klein|ralph lauren|tommy hilfiger|hugo boss|estee lauder|yves saint laurent|giorgio armani|walt disney|john deere|harley davidson|jack daniels|johnnie walker|arthur andersen|baker mckenzie|clifford chance|allen overy|jimmy choo|ted baker|paul smith|marc jacobs|michael kors|kate spade|tory burch|vera wang|ben jerry|dr pepper|tim hortons|marks spencer|sainsbury|morrisons|carl zeiss|robert bosch|ernst young|procter gamble|johnson johnson|smith wesson|black decker|lloyds|barclays|rothschild|jp morgan|chase manhattan|jean paul gaultier|christian dior|coco chanel|alfa romeo|aston martin|rolls royce|mercedes benz|martin luther king|saint laurent`.split('|'));
const PARTICLE_LIST = `van von der den de del della di da du le la los las dos das ter ten bin ibn al el ben bint abu ap af zu mac mc st o d y e ó ní nic ua`;
addWords(PARTICLE_LIST, P, false);
const PARTICLE_WORDS = new Set(PARTICLE_LIST.split(/\s+/));

const PLACES = new Set(PLACE.split('|'));
const PLACE_FIRST = new Set([...PLACES, ...EPONYMS].map((p) => p.slice(0, (p + ' ').indexOf(' '))));

const MAX_TOKEN = 40;

const enum Shape { Cap = 1, Lower, Upper, NoCase, Mixed, Initial }

const CAP_RE = /^(?:\p{Lu}\p{M}*(?:['’]\p{Lu})?[\p{Ll}\p{M}]+|Ma?c\p{Lu}[\p{Ll}\p{M}]+|\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+)(?:-\p{Lu}[\p{Ll}\p{M}]+|-[\p{Ll}]{1,3}-\p{Lu}[\p{Ll}\p{M}]+)*$/u;
const UPPER_RE = /^\p{Lu}[\p{Lu}\p{M}'’-]+$/u;
const LOWER_RE = /^[\p{Ll}\p{M}'’-]+$/u;
const NOCASE_RE = /^[\p{Lo}\p{M}'’-]+$/u;
const GEORGIAN_RE = /^[\u10d0-\u10ff\p{M}'’-]+$/u;
const CJK_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
const HANGUL_RE = /^\p{sc=Hangul}+$/u;
// unseen surnames still look like surnames: Slavic, Nordic, Turkish, Georgian, Armenian, Romanian, Greek endings
const SURNAME_SHAPE = /(?:ov|ova|ev|eva|ovs?ki|ski|ska|sky|ský|ská|ová|wicz|owicz|ewicz|vić|vič|ić|enko|chuk|czuk|yan|yants|ian|oğlu|oglu|dze|shvili|sson|ssen|sen|escu|poulos|akis|idis|opoulou|ou|ez|es|ini|elli|etti|ucci|berg|stein|mann|baum|feld|heim|ović|ovich|evich|ovna|evna|ова|ева|ов|ев|ин|ина|ский|ская|енко|ук|юк|ич|ძე|შვილი)$/u;

/** A word where it stands: its bounds, what follows it and its flags here; what its spelling says is in `w`. */
class Tok {
  constructor(
    public s: number,
    public e: number, // end, possessive 's excluded
    public r: number, // raw end (possessive included)
    public f: number, // X where it stands in code, else w.f (looked up on first use when -1)
    public w: Word,
    public gap = 2, // what follows: 0 one space, 1 a list separator (", " ";" "/"), 2 anything else
  ) {}
  get shape(): Shape {
    return this.w.shape;
  }
  get poss(): boolean {
    return this.w.poss;
  }
  /** lower case, as written (possessive kept), for cue lookups */
  get low(): string {
    return this.w.low;
  }
  /** lexicon key (possessive removed) */
  get key(): string {
    return this.w.key;
  }
  get m(): number {
    return this.w.m;
  }
}

/** Lexicon flags, looked up on first use: most lower-case words never need them. */
function fl(t: Tok): number {
  if (t.f < 0) t.f = flagsOf(t.key);
  return t.f;
}

// the flags of recently seen words: a small map stays in cache where the 100k-entry lexicon does not
const RECENT = new Map<string, number>();
function flagsOf(lower: string): number {
  let r = RECENT.get(lower);
  if (r === undefined) {
    r = lexFlags(lower);
    if (RECENT.size >= 1024) RECENT.clear();
    RECENT.set(lower, r);
  }
  return r;
}

function lexFlags(lower: string): number {
  let f = LEX.get(lower);
  if (f === undefined && /[^\x00-\x7f]/.test(lower)) f = LEX.get(foldName(lower));
  if (f !== undefined) return f;
  const c0 = lower.charCodeAt(0);
  if (c0 >= 0x430 && c0 <= 0x45f && lower.length >= 4) {
    const stem = cyrillicStem(lower);
    if (stem) return stem;
  }
  // Jean-Luc, Lopez-Garcia, Al-Hassan: the parts
  if (lower.indexOf('-') > 0) {
    const parts = lower.split('-');
    let acc = 0;
    for (const p of parts) {
      const pf = LEX.get(p) ?? LEX.get(foldName(p)) ?? 0;
      // "Time-To-Live", "In-Memory": an ordinary word inside makes the compound ordinary
      if ((pf & W) && !(pf & (G | S | P))) return W;
      acc |= pf & (G | S);
    }
    return acc;
  }
  // O'Connor, D'Angelo, N'Diaye
  if (lower.charCodeAt(1) === 39 && (c0 === 111 || c0 === 100 || c0 === 108 || c0 === 110)) return S;
  return 0;
}

// Russian and Ukrainian names change their ending with the case ("Позвоните Анне Петровой", "Передайте Ивану"): an
// unknown Cyrillic word whose ending, swapped for the nominative's, gives a name that is no ordinary word is that name
const CYR_ENDINGS: [string, string][] = [['ой', 'а'], ['ей', 'я'], ['ою', 'а'], ['ии', 'ия'], ['ию', 'ия'], ['ым', ''], ['ом', ''], ['ем', 'й'],
  ['ы', 'а'], ['и', 'а'], ['е', 'а'], ['у', 'а'], ['у', ''], ['ю', 'я'], ['а', ''], ['я', 'й']];
function cyrillicStem(lower: string): number {
  for (const [end, nom] of CYR_ENDINGS) {
    if (!lower.endsWith(end)) continue;
    const f = LEX.get(lower.slice(0, lower.length - end.length) + nom);
    if (f !== undefined && (f & (G | S)) && !(f & (W | X | T | P))) return f & (G | S);
  }
  return 0;
}

function shapeOf(w: string, text: string, end: number): Shape {
  if (w.length === 1) {
    const c = w.charCodeAt(0);
    // ASCII letters without the four case conversions below ("a:", "x = y")
    if (c >= 97 && c <= 122) return Shape.Lower;
    if (c >= 65 && c <= 90) return text.charCodeAt(end) === 46 ? Shape.Initial : c === 79 && text.charCodeAt(end) === 39 ? Shape.Cap : Shape.Mixed;
    if (w !== w.toLowerCase() && text.charCodeAt(end) === 46) return Shape.Initial;
    if (w === 'Ó' || w === 'O' && text.charCodeAt(end) === 39) return Shape.Cap;
    if (w === w.toLowerCase() && w === w.toUpperCase()) return Shape.NoCase;
    return c < 128 && w === w.toLowerCase() ? Shape.Lower : Shape.Mixed;
  }
  // ASCII fast path: Anna, anna
  const c0 = w.charCodeAt(0);
  let lowerRest = true;
  for (let i = 1; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 97 || c > 122) {
      lowerRest = false;
      break;
    }
  }
  if (lowerRest) {
    if (c0 >= 65 && c0 <= 90) return Shape.Cap;
    if (c0 >= 97 && c0 <= 122) return Shape.Lower;
  }
  // Georgian Mkhedruli is lower case in Unicode but written without case: its words are caseless like Arabic's
  if (c0 >= 0x10d0 && c0 <= 0x10ff && GEORGIAN_RE.test(w)) return Shape.NoCase;
  // caseless scripts (Hebrew, Arabic, Indic, Thai, kana, Han, Hangul): one test instead of four
  if (c0 >= 0x590 && (c0 < 0x10a0 || (c0 > 0x10ff && c0 < 0x1e00) || c0 >= 0x3040) && c0 < 0xff00 && NOCASE_RE.test(w)) return Shape.NoCase;
  if (CAP_RE.test(w)) return Shape.Cap;
  if (LOWER_RE.test(w)) return Shape.Lower;
  if (UPPER_RE.test(w)) return Shape.Upper;
  if (NOCASE_RE.test(w)) return Shape.NoCase;
  return Shape.Mixed;
}

// Non-ASCII words repeat (a name, a script's common words) and their case conversions and shape regexes are the
// costly part of reading them: the last few thousand are kept (bounded, cleared when full)
const LOW_MEMO = new Map<string, string>();
const SHAPE_MEMO = new Map<string, Shape>();
const WORD_MEMO_MAX = 4096;

/** Lower case for lookups: the curly apostrophe as ', and no combining dot ("İlgili" lower-cases to i + U+0307). */
function lowerOf(w: string): string {
  let low = LOW_MEMO.get(w);
  if (low !== undefined) return low;
  low = w.toLowerCase();
  if (low.indexOf('’') !== -1) low = low.replace(/’/g, "'");
  if (low.indexOf('\u0307') !== -1) low = low.replace(/\u0307/g, '');
  if (LOW_MEMO.size >= WORD_MEMO_MAX) LOW_MEMO.clear();
  LOW_MEMO.set(w, low);
  return low;
}

/** shapeOf for a word of two or more characters, which depends on the word alone. */
function memoShape(w: string): Shape {
  let sh = SHAPE_MEMO.get(w);
  if (sh !== undefined) return sh;
  sh = shapeOf(w, '', 0);
  if (SHAPE_MEMO.size >= WORD_MEMO_MAX) SHAPE_MEMO.clear();
  SHAPE_MEMO.set(w, sh);
  return sh;
}

function setGap(text: string, toks: Tok[], s: number): void {
  const p = toks[toks.length - 1];
  if (!p) return;
  const len = s - p.r;
  const c = text.charCodeAt(p.r);
  if (len === 1 && (c === 32 || c === 160)) p.gap = 0;
  else if (len <= 4) {
    let i = p.r;
    if (text.charCodeAt(i) === 32) i++;
    const d = text.charCodeAt(i);
    if (d === 44 || d === 59 || d === 47) {
      i++;
      while (i < s && text.charCodeAt(i) === 32) i++;
      if (i === s) p.gap = 1;
    }
  }
}

// letters (\p{L}\p{M}) by UTF-16 code unit, classified on first sight: 1 letter, 2 not
const LETTER_RE = /[\p{L}\p{M}]/u;
const LETTER = new Uint8Array(65536);
for (let c = 0; c < 128; c++) LETTER[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;
/** \s as JavaScript regexes read it. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
// [\p{L}\p{N}] by code unit, the same way (a lone surrogate is neither, as in a /u regex)
const LETTER_DIGIT_RE = /[\p{L}\p{N}]/u;
const LETTER_DIGIT = new Uint8Array(65536);
const isLetterOrDigit = (c: number) => (LETTER_DIGIT[c] || (LETTER_DIGIT[c] = LETTER_DIGIT_RE.test(String.fromCharCode(c)) ? 1 : 2)) === 1;
const isLetter = (c: number) => (LETTER[c] || (LETTER[c] = LETTER_RE.test(String.fromCharCode(c)) ? 1 : 2)) === 1;

/** What a word says whatever its neighbours (the text is read only for a one-letter word's shape). */
interface Word {
  raw: string; // as written
  ascii: boolean; // ASCII letters, "'" and "-" only
  low: string;
  key: string;
  shape: Shape;
  f: number; // lexicon flags, X for a word that is never a name, -1 for a lower-case word (looked up on first use)
  poss: boolean;
  m: number; // its cue bits (CUES) and the M_* bits
  fold: string | null; // foldName(key), on first use
}
const foldOf = (w: Word) => (w.fold ??= foldName(w.key));
const LONG_WORD: Word = { raw: '', ascii: false, low: '', key: '', shape: Shape.Mixed, f: X, poss: false, m: 0, fold: null };
const M_CUE_LAST = 1 << 16, M_CUE_TAIL = 1 << 17, M_CONJ = 1 << 18, M_CHAT_INTRO = 1 << 19, M_PAIR_CUE = 1 << 20, M_VERB = 1 << 21;
// Words repeat: what a spelling says is kept for the last few thousand, in an open-addressing table keyed by a hash
// of the code units (bounded, cleared when full). Only words of up to 12 code units: a longer slice may be a view
// into the whole text, which the table would keep alive.
const WT_SIZE = 1 << 14;
const WT_MASK = WT_SIZE - 1;
const WT_MAX = WT_SIZE >> 1;
const WT: (Word | undefined)[] = new Array<Word | undefined>(WT_SIZE).fill(undefined);
const WT_HASH = new Int32Array(WT_SIZE);
let wtCount = 0;
const WORD_CACHE_LEN = 12;
/** Slots a lookup reads from a word's home before it counts as a miss. */
const WT_PROBES = 8;
const ONE_LETTER = new Map<number, Word>();

function wordOf(raw: string, text: string, end: number, plainLower: boolean, ascii: boolean, apos: boolean, hyphen: boolean): Word {
  let w = raw;
  let e = end;
  const low = plainLower ? w : ascii ? w.toLowerCase() : lowerOf(w);
  let key = low;
  let poss = false;
  if (apos && w.length > 3 && low.endsWith("'s")) {
    poss = true;
    w = w.slice(0, -2);
    key = low.slice(0, -2);
    e -= 2;
  }
  const shape = ascii || w.length === 1 ? shapeOf(w, text, e) : memoShape(w);
  // lower-case words with a hyphen are identifiers (acme-secrets), not names
  const f = shape === Shape.Mixed || (shape === Shape.Lower && hyphen) ? X : shape === Shape.Lower ? -1 : flagsOf(key);
  const m = (CUES.get(low) ?? 0) | (CUE_LAST.has(low) ? M_CUE_LAST : 0) | (CUE_TAIL.has(low) ? M_CUE_TAIL : 0) | (CONJ.has(low) ? M_CONJ : 0) |
    (CHAT_INTRO_WORDS.has(low) ? M_CHAT_INTRO : 0) | (LOWER_PAIR_CUES.has(low) ? M_PAIR_CUE : 0) |
    (VERB_WORDS.has(low) ? M_VERB : 0);
  return { raw, ascii, low, key, shape, f, poss, m, fold: null };
}

// The tokens of one piece live only while findNames reads it (none is kept after), so the same objects serve every
// piece: a megabyte of words allocates no token records, and the pool is as large as the largest piece's tokens.
const TOK_POOL: Tok[] = [];
function pooledTok(k: number, s: number, e: number, r: number, f: number, w: Word): Tok {
  let t = TOK_POOL[k];
  if (t === undefined) TOK_POOL.push((t = new Tok(s, e, r, f, w)));
  else {
    t.s = s;
    t.e = e;
    t.r = r;
    t.f = f;
    t.w = w;
    t.gap = 2;
  }
  return t;
}

/** `text` holds `w` at `at` (a word of up to WORD_CACHE_LEN code units: compared inline, no builtin call per word). */
function sameAt(w: string, text: string, at: number): boolean {
  for (let q = 0; q < w.length; q++) if (w.charCodeAt(q) !== text.charCodeAt(at + q)) return false;
  return true;
}

function tokenize(text: string): Tok[] {
  const toks: Tok[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (!isLetter(text.charCodeAt(i))) {
      i++;
      continue;
    }
    const s = i;
    let plainLower = text.charCodeAt(i) >= 97 && text.charCodeAt(i) <= 122;
    let ascii = text.charCodeAt(i) < 128;
    let hyphen = false;
    let apos = false;
    // (the hash of the word's code units, for the table of words: read on the way)
    let h = text.charCodeAt(i);
    i++;
    // a word: letters, with single apostrophes or hyphens between letters (O'Connor, Jean-Luc)
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c >= 97 && c <= 122) {
        h = (Math.imul(h, 31) + c) | 0;
        i++;
      } else if (isLetter(c)) {
        plainLower = false;
        if (c >= 128) ascii = false;
        h = (Math.imul(h, 31) + c) | 0;
        i++;
      } else if ((c === 39 || c === 0x2019 || c === 45) && i + 1 < n && isLetter(text.charCodeAt(i + 1))) {
        if (c !== 39) plainLower = false;
        if (c === 45) hyphen = true;
        else apos = true;
        const d = text.charCodeAt(i + 1);
        if (c === 0x2019 || d >= 128) ascii = false;
        h = (Math.imul(Math.imul(h, 31) + c, 31) + d) | 0;
        i += 2;
      } else break;
    }
    let e = i;
    if (e - s > MAX_TOKEN) {
      setGap(text, toks, s);
      toks.push(pooledTok(toks.length, s, e, e, X, LONG_WORD));
      continue;
    }
    // (a one-letter word's shape depends on what follows it: "A." is an initial)
    const len = e - s;
    let wd: Word | undefined;
    if (len > 1 && len <= WORD_CACHE_LEN) {
      // found by the hash of its code units, no string made for a word seen before
      const home = (h ^ (h >>> 13)) & WT_MASK;
      let slot = home;
      // At most WT_PROBES slots from its home: the hash is easy to collide on purpose (8^6 spellings of 12 code
      // units share one), and an unbounded run would cost every word of such a text, and every later word homed
      // inside the run, thousands of probes until the table is cleared.
      let probes = 0;
      for (; probes < WT_PROBES; probes++) {
        const cand = WT[slot];
        if (cand === undefined) break;
        if (WT_HASH[slot] === h && cand.raw.length === len && sameAt(cand.raw, text, s)) {
          wd = cand;
          break;
        }
        slot = (slot + 1) & WT_MASK;
      }
      if (wd === undefined) {
        wd = wordOf(text.slice(s, e), text, e, plainLower, ascii, apos, hyphen);
        if (probes === WT_PROBES) {
          // no free slot near home: the word replaces the one there (still no gap in any run, so every other word
          // is found as before; the one replaced is read again when it comes back)
          slot = home;
        } else {
          if (wtCount >= WT_MAX) {
            WT.fill(undefined);
            wtCount = 0;
            slot = home;
          }
          wtCount++;
        }
        WT[slot] = wd;
        WT_HASH[slot] = h;
      }
    } else if (len === 1) {
      // a one-letter word: by its code unit and its shape here
      const w1 = text[s]!;
      const k1 = text.charCodeAt(s) * 8 + shapeOf(w1, text, e);
      wd = ONE_LETTER.get(k1);
      if (wd === undefined) {
        wd = wordOf(w1, text, e, plainLower, ascii, apos, hyphen);
        if (ONE_LETTER.size >= 4096) ONE_LETTER.clear();
        ONE_LETTER.set(k1, wd);
      }
    } else wd = wordOf(text.slice(s, e), text, e, plainLower, ascii, apos, hyphen);
    if (wd.poss) e -= 2;
    // code: member access, snake_case, paths, calls, markup, handles
    const prev = s > 0 ? text.charCodeAt(s - 1) : 32;
    const next = text.charCodeAt(e);
    let code = prev === 95 || prev === 47 || prev === 92 || prev === 36 || prev === 35 || prev === 64 || prev === 96 || prev === 61 ||
      (prev === 46 && s > 1 && isLetterOrDigit(text.charCodeAt(s - 2))) || (prev >= 48 && prev <= 57);
    if (!code && !Number.isNaN(next)) {
      code = next === 95 || next === 40 || next === 96 || next === 61 || next === 64 || (next >= 48 && next <= 57) ||
        ((next === 46 || next === 47) && e + 1 < n && isLetterOrDigit(text.charCodeAt(e + 1)));
    }
    setGap(text, toks, s);
    toks.push(pooledTok(toks.length, s, e, i, code ? X : wd.f, wd));
  }
  return toks;
}

const isName = (f: number) => (f & (G | S)) !== 0 && (f & X) === 0;
const plainName = (f: number) => isName(f) && (f & W) === 0;

// --- context, read from a bounded slice before or after a candidate ---
// Cue phrases, looked up by the one to four words before a candidate (a map lookup, not a regex over the text).
const TITLE_CUES = "anh|pt|bay|bayan|bà|chị|dame|dhr|dipl.-ing|don|dona|dott|dott.ssa|doña|dr|fr|frau|herr|herrn|hr|ing|lady|lord|m|madame|mademoiselle|mag|mevr|miss|mlle|mme|monsieur|mr|mrs|ms|mx|pan|pana|pani|panią|paní|prof|pán|sayın|señor|señora|señorita|sig|sig.ra|signor|signora|sir|sn|sr|sra|srta|ông|úr|κ|κα|κος|κυρία|κύριος|г-жа|г-н|господин|госпожа|пан|пані|גב'|ד\"ר|מר|الأستاذ|الدكتور|السيد|السيدة|آقای|آقا|خانم|جناب|دکتر|الآنسة|الأستاذة|الدكتورة|श्री|श्रीमती|सुश्री|גברת";
const INTRO_CUES = "a nevem|adım|benim adım|call me|called|eu sou|i am|i'm|ich bin|ich heisse|ich heiße|ik ben|ik heet|il mio nome è|i’m|jag heter|jag är|je m'appelle|je m’appelle|je suis|jeg er|jeg hedder|jeg heter|jestem|jmenuji se|jsem|mam na imię|me chamo|me llamo|mein name ist|meu nome é|mi chiamo|mi nombre es|mijn naam is|minun nimeni on|moi c'est|my name is|my name's|mă numesc|name is|named|nazywam się|numele meu este|olen|sono|soy|this is|tên tôi là|tôi là|vagyok|είμαι|με λένε|ονομάζομαι|мене звати|меня зовут|я|אני|שמי|أنا|اسمي|аз съм|მე ვარ|ես|ես եմ";
const STRONG_INTRO_CUES = "a nevem|benim adım|call me|ich heisse|ich heiße|ik heet|jag heter|je m'appelle|je m’appelle|jeg hedder|jeg heter|jmenuji se|mam na imię|me chamo|me llamo|mein name ist|meu nome é|mi chiamo|mi nombre es|mijn naam is|minun nimeni on|my name is|my name's|mă numesc|nazywam się|numele meu este|tên tôi là|με λένε|ονομάζομαι|мене звати|меня зовут|שמי|اسمي|казвам се|името ми е|мене звуть|меня зовут|მქვია|ჩემი სახელია|სახელად|իմ անունը|ես կոչվում եմ|ชื่อ|ผมชื่อ|ฉันชื่อ|ดิฉันชื่อ|เราชื่อ|मेरा नाम|मेरा नाम है|मेरा नाम हैं|میرا نام|اسم من|نام من|私の名前は|제 이름은|我的名字是|我叫";
const GREETING_CUES = "ahoj|bedankt|beste|bonjour|bonsoir|buenas tardes|buenos días|bună|bye|cara|caro|cheers|cher|chào|chère|ciao|congrats|congratulations|coucou|cześć|cảm ơn|dag|dear|dobrý den|dzień dobry|dziękuję|děkuji|estimada|estimado|geachte|gentile|gentilissima|gentilissimo|good afternoon|good evening|good morning|gracias|grazie|grüß dich|hallo|hallå|hei|hej|hello|hey|hi|hiya|hoi|hola|howdy|kedves|kiitos|köszönöm|liebe|lieber|merci|merhaba|moi|moin|obrigada|obrigado|oi|olá|prezada|prezado|querida|querido|salut|salve|sehr geehrte|sehr geehrter|selam|servus|sorry|szanowna pani|szanowny panie|szervusz|szia|tack|tak|takk|teşekkürler|thank you|thanks|vážená|vážený|welcome|witaj|xin chào|αγαπητέ|αγαπητή|γεια|γεια σου|ευχαριστώ|вітаю|дорогая|дорогой|здравствуйте|привет|спасибо|уважаемая|уважаемый|שלום|תודה|شكرا|عزيزتي|عزيزي|مرحبا|καλημέρα|καλησπέρα|γεια σας|χαίρετε|добрый день|доброе утро|добрый вечер|здравствуй|приветствую|добрий день|дякую|привіт|здравей|здравейте|благодаря|شكراً|أهلا|أهلاً|سلام|ممنون|مرسی|درود|היי|नमस्ते|नमस्कार|धन्यवाद|शुक्रिया|प्रिय|आदरणीय|প্রিয়|ძვირფასო|ძვირფასი|პატივცემულო|გამარჯობა|მადლობა|հարգելի|սիրելի|բարև|เรียน|สวัสดี|sevgili|değerli|kepada|kepada yth|yth|halo|hai|terima kasih|bapak ibu|ibu bapak|yth bapak|yth ibu|yth bapak ibu|αγαπητέ ή|αγαπητή έ|уважаемый ая|уважаемая ый|шановний а|шановна ий|шановний|шановна|sehr geehrte r|estimado a|estimada o|querido a|querida o|caro a|cara o|prezado a|prezada o|drogi a|droga i|szanowny a|vážený á|milý á|cher ère|chère er|draga|dragă|dragi|stimate|stimată|mahal|kära|käre|kæreste|kære|hyvä";
const WEAK_CUES = "about|add|added|an|and|ask|asked|assign|assigned|attn|avec|bcc|by|call|called|cc|cho|com|con|contact|contacted|copy|de|e|email|emailed|en|et|fire|fired|for|forward|from|für|help|helped|hire|hired|hug|invite|invited|ja|kiss|let|like|love|loves|married|marry|meet|message|messaged|met|miss|missed|mit|notify|och|og|or|paid|para|pay|per|ping|pour|remove|replied|reply|saw|see|sign|signed|tell|text|texted|thank|thanked|to|told|und|ve|via|visit|visited|von|voor|và|với|with|y|és|για|και|від|для|и|с";
const ROLE_CUES = "physician|surgeon|nurse|clinician|therapist|pharmacist|attending|reviewer|interviewer|interviewee|supervisor|mentor|mentee|lessor|lessee|licensee|borrower|guarantor|claimant|plaintiff|defendant|respondent|petitioner|complainant|executor|trustee|arzt|ärztin|pflegekraft|médecin|infirmier|infirmière|médico|médica|enfermero|enfermera|medico|infermiere|infermiera|arts|verpleegkundige|applicant|asiakas|assignee|author|beneficiary|buyer|bệnh nhân|caller|candidate|cardholder|client|cliente|colleague|contact|customer|dipendente|driver|empleada|empleado|employee|guest|hasta|khách hàng|klant|klient|klientka|kund|kunde|kundin|landlord|medewerker|member|mitarbeiter|mitarbeiterin|müşteri|owner|pacient|paciente|pacjent|pacjentka|passenger|patient|patientin|paziente|pracownik|páciens|recipient|regards|reporter|resident|seller|sender|signed|sincerely|student|subscriber|supplier|tenant|user|vendor|visitor|witness|zákazník|ügyfél|ασθενής|πελάτης|клиент|пациент|сотрудник";
const FIELD_CUES = "attending|attending physician|referring physician|primary physician|physician|surgeon|nurse|clinician|therapist|pharmacist|provider name|seen by|referred by|examined by|treated by|line manager|hiring manager|lessor|lessee|licensee|borrower|guarantor|claimant|plaintiff|defendant|respondent|executor|trustee|maintainer|maintainers|authors|contributor|contributors|written by|maintained by|behandelnder arzt|arzt|ärztin|médecin|médico|médica|medico|absender|account holder|achternaam|ad|ad soyad|addressee|adı|adı soyadı|afzender|agent|ansprechpartner|ansprechpartnerin|apellido|apellidos|applicant|approved by|assignee|attention|attn|author|autor|beneficiary|candidate|card holder|cardholder|cc|child|client|client name|cognome|contact|contact person|contacto|contactpersoon|created by|customer|customer name|destinataire|destinatario|driver|efternamn|efternavn|emergency contact|empfänger|employee|employee name|etternavn|etunimi|expéditeur|family name|first name|firstname|forename|fornavn|from|full name|fullname|förnamn|given name|guardian|guest|holder|họ tên|họ và tên|ilgili kişi|imię|imię i nazwisko|inhaber|insured|interlocuteur|jméno|kapcsolattartó|kontakt|kontaktní osoba|kontaktperson|landlord|last name|lastname|mittente|naam|nachname|name|name des|names|namn|navn|nazwisko|next of kin|người liên hệ|nimi|nom|nom complet|nombre|nombre completo|nome|nome completo|név|ontvanger|osoba kontaktowa|owner|parent|passenger|patient|patient name|persona de contacto|policyholder|prepared by|prénom|příjmení|recipient|referente|remitente|rep|reporter|representative|requested by|requester|reviewed by|sachbearbeiter|sachbearbeiterin|sender|signature|signed|signed by|soyad|soyadı|spouse|submitted by|sukunimi|surname|teljes név|tenant|to|tên|verfasser|voornaam|vorname|witness|yhteyshenkilö|επαφή|επώνυμο|ονοματεπώνυμο|όνομα|имя|контакт|контактное лицо|отчество|прізвище|фамилия|фио|ім'я|איש קשר|שם|שם מלא|اسم|الاسم|الاسم الكامل|جهة الاتصال|名前|姓名|担当|担当者|氏名|联系人|聯絡人|담당자|성명|이름";
const KIN_WORDS = 'kid|kids|son|sons|daughter|daughters|child|children|boy|girl|baby|wife|husband|partner|spouse|fiancé|fiancée|fiance|fiancee|girlfriend|boyfriend|mom|mum|mother|dad|father|parent|brother|sister|sibling|twin|friend|buddy|pal|mate|roommate|flatmate|boss|manager|supervisor|colleague|coworker|co-worker|teammate|assistant|neighbour|neighbor|uncle|aunt|auntie|cousin|nephew|niece|grandson|granddaughter|grandchild|grandma|grandmother|grandpa|grandfather|nan|nana|tenant|landlord|landlady|lawyer|attorney|doctor|dentist|therapist|nurse|client|student|pupil|teacher|tutor|coach|caregiver|nanny|employee|intern|guest|patient|dog|cat';
const LOW_VERB_CUES = 'ask|asked|tell|told|call|called|ping|pinged|email|emailed|text|texted|message|messaged|meet|met|thank|thanked|invite|invited|cc|remind|reminded|hug|hugged|visit|visited|saw|see|with';
const C_TITLE = 1, C_INTRO = 2, C_NAMED = 4, C_GREET = 8, C_KIN = 16, C_WEAK = 32, C_ROLE = 64, C_FIELD = 128, C_LOWVERB = 256, C_POSS = 512, C_KINADJ = 1024, C_KINVERB = 2048, C_FIRM = 4096;
const CUES = new Map<string, number>();
const addCues = (list: string, bit: number) => {
  for (const p of list.split('|')) if (p) CUES.set(p, (CUES.get(p) ?? 0) | bit);
};
addCues(TITLE_CUES, C_TITLE);
addCues(INTRO_CUES, C_INTRO);
addCues(STRONG_INTRO_CUES, C_NAMED | C_INTRO);
addCues(GREETING_CUES, C_GREET);
addCues(WEAK_CUES, C_WEAK);
addCues(ROLE_CUES, C_ROLE);
addCues(FIELD_CUES, C_FIELD);
addCues(LOW_VERB_CUES, C_LOWVERB);
addCues(KIN_WORDS, C_KIN);
addCues('my|our|his|her|their|your', C_POSS);
addCues('little|baby|older|younger|eldest|youngest|oldest|late|dear|best|new|ex|step|former', C_KINADJ);
addCues('is|was|named|called', C_KINVERB);
addCues('the|at|via', C_FIRM);
const CUE_LAST = new Set([...CUES.keys()].map((p) => p.slice(p.lastIndexOf(' ') + 1)));
// every tail of every cue phrase ("is", "name is", "my name is"): the backward phrase lookup stops at the first miss
const CUE_TAIL = new Set<string>();
for (const p of CUES.keys()) {
  const ws = p.split(' ');
  for (let a = ws.length - 1; a >= 0; a--) CUE_TAIL.add(ws.slice(a).join(' '));
}
/** The cue phrases by their words from the last one back (a map per word, no phrase strings built): bits -1 where no phrase ends. */
interface CueNode {
  bits: number;
  prev: Map<string, CueNode> | null;
}
const CUE_TRIE = new Map<string, CueNode>();
for (const [p, bits] of CUES) {
  const ws = p.split(' ');
  let level = CUE_TRIE;
  let node: CueNode | undefined;
  for (let a = ws.length - 1; a >= 0; a--) {
    node = level.get(ws[a]!);
    if (!node) level.set(ws[a]!, (node = { bits: -1, prev: null }));
    if (a > 0) level = node.prev ??= new Map();
  }
  node!.bits = bits;
}
const STRONG = C_TITLE | C_INTRO | C_GREET | C_KIN | C_ROLE | C_FIELD;
const VERB_AFTER = /^(?:,\s)?\s?(?:said|says|say|wrote|writes|write|asked|asks|replied|replies|told|tells|called|calls|emailed|texted|messaged|mentioned|explained|added|noted|thinks|thought|wants|wanted|needs|needed|lives|lived|works|worked|moved|joined|left|came|comes|went|goes|and\s(?:i|me|my)|who|whose|sagt|sagte|schrieb|dit|a\sdit|dice|dijo|disse|zegt|zei|powiedział|powiedziała|řekl|řekla|mondta|sagde|sanoi|dedi|сказал|сказала|είπε|nói)\b/iu;
const WEAK_VERB_AFTER = /^\s(?:is|was|has|had|will|would|can|could|did|does|and)\b/i;
const EMAIL_AFTER = /^\s{0,2}[<(\[]\s{0,2}[^\s<>()@]{1,64}@/;
const AFTER_SUFFIX = /^,?\s(?:jr|sr|ii|iii|iv|phd|md|esq|mba|dds|cpa)\b/i;
const COMPANY_AFTER = /^\s?&|^\s?(?:and\s(?:co|sons|partners|associates)\b|inc\b|ltd\b|llc\b|llp\b|plc\b|gmbh\b|ag\b|kg\b|se\b|sa\b|s\.a\.|sas\b|sarl\b|srl\b|s\.r\.l|spa\b|s\.p\.a|bv\b|b\.v\.|nv\b|oy\b|ab\b|as\b|a\/s|aps\b|corp|co\b|co\.|company|group|holding|holdings|partners|associates|bank|capital|ventures|labs|technologies|technology|tech\b|software|systems|solutions|consulting|services|foundation|university|universität|université|universidad|università|college|institute|school|academy|hospital|clinic|airport|station|street|st\b|road|rd\b|avenue|ave\b|boulevard|blvd|lane|drive|way\b|square|park|bridge|hall|center|centre|building|tower|hotel|museum|library|church|cathedral|stadium|arena|theatre|theater|river|lake|mountain|island|islands|county|city|valley|beach|prize|award|award|medal|effect|syndrome|disease|law|theorem|equation|principle|method|algorithm|test|scale|index|cup|trophy|festival|records|studios|studio|press|media|motors|airlines|air|pharma|energy|foods|brewery|wines|restaurant|cafe|café|bar|pub|shop|store|stores|market|mall|plaza|strasse|straße|str\b|platz|weg|gasse|allee|rue|via|viale|piazza|calle|plaza|ulica|utca|ulice|gatan|gade|gata|vej|katu|sokak|caddesi)\b/iu;

/** The regex's alternatives' first two letters (lower case), a superset gate: "said|says|and\\s(?:i|me)" gives sa, an, me. */
const prefixGate = (re: RegExp): Set<string> => {
  const set = new Set<string>();
  for (const alt of re.source.split('|')) {
    const lit = alt.replace(/^(?:\^|\\s\??|\\s\{\d,?\d?\}|\(\?:|,\??|\s|\)\??|\[<\(\\\[\])+/, '').replace(/\\[sb]/g, ' ').replace(/\\/g, '');
    set.add(lit.slice(0, 2).toLowerCase());
  }
  return set;
};
const gateHas = (g: Set<string>, p: string) => p !== '' && (g.has(p) || g.has(p.charAt(0)));
/** What opens the text at `end`, after an optional comma and up to two spaces: its first two characters, lower case ('' at the end). */
const nextWordPrefix = (text: string, end: number): string => {
  NX_PAIR = -1;
  let i = end;
  if (text.charCodeAt(i) === 44) i++;
  for (let sp = 0; sp < 2 && i < text.length; sp++) {
    const ch = text.charCodeAt(i);
    if (ch <= 32 || ch === 160 || ch === 0x3000 || ch === 0x202f || (ch >= 0x2000 && ch <= 0x200a) || ch === 0x2028 || ch === 0x2029 || ch === 0x1680 || ch === 0x205f || ch === 0xfeff) i++;
    else break;
  }
  if (i >= text.length) return '';
  const ch = text.charCodeAt(i);
  if (ch === 60 || ch === 40 || ch === 91 || ch === 38) return text.charAt(i);
  // two ASCII characters: one shared string per pair (no copy, and its hash is computed once for the gate lookups)
  const ch2 = text.charCodeAt(i + 1);
  if (ch < 128 && ch2 < 128) {
    const a = ch >= 65 && ch <= 90 ? ch + 32 : ch;
    const b = ch2 >= 65 && ch2 <= 90 ? ch2 + 32 : ch2;
    NX_PAIR = (a << 7) | b;
    return (PREFIX2[NX_PAIR] ??= String.fromCharCode(a, b));
  }
  return text.slice(i, i + 2).toLowerCase();
};
const PREFIX2: (string | undefined)[] = new Array(128 * 128).fill(undefined);

const VERB_GATE = new Set([...prefixGate(VERB_AFTER), ...prefixGate(AFTER_SUFFIX)]);
const WEAK_VERB_GATE = prefixGate(WEAK_VERB_AFTER);
const COMPANY_GATE = prefixGate(COMPANY_AFTER);
/** The pair of ASCII characters nextWordPrefix last answered with, as (a << 7) | b; -1 when its answer was not such a pair. */
let NX_PAIR = -1;
const G_VERB = 1, G_WEAK = 2, G_COMPANY = 4, G_KNOWN = 8;
// the three gates' answers for each ASCII pair, on first sight (a run asks all three of the same pair: one read, not six set lookups)
const PAIR_GATES = new Uint8Array(128 * 128);
/** G_VERB, G_WEAK and G_COMPANY for what nextWordPrefix just returned. */
function gatesOf(nx: string): number {
  const pair = NX_PAIR;
  if (pair >= 0) {
    const g = PAIR_GATES[pair]!;
    if (g !== 0) return g;
  }
  const g = (gateHas(VERB_GATE, nx) ? G_VERB : 0) | (gateHas(WEAK_VERB_GATE, nx) ? G_WEAK : 0) | (gateHas(COMPANY_GATE, nx) ? G_COMPANY : 0) | G_KNOWN;
  if (pair >= 0) PAIR_GATES[pair] = g;
  return g;
}

const SIGNOFF = /^[\s>*_-]{0,4}(?:best|best regards|best wishes|kind regards|kindest regards|warm regards|warmest regards|regards|many thanks|thanks|thank you|thanks again|thx|cheers|sincerely|yours|yours sincerely|sincerely yours|yours truly|yours faithfully|faithfully|respectfully|cordially|all the best|take care|love|with love|xoxo|talk soon|see you|br|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|freundliche grüsse|viele grüße|viele grüsse|beste grüße|liebe grüße|herzliche grüße|lg|vg|mfg|gruß|grüße|grüsse|cordialement|bien cordialement|salutations|bien à vous|amitiés|bises|saludos|un saludo|saludos cordiales|atentamente|un abrazo|cordiali saluti|distinti saluti|saluti|un saluto|grazie mille|met vriendelijke groet|met vriendelijke groeten|vriendelijke groet|groeten|groetjes|hartelijke groet|pozdrawiam|z poważaniem|serdecznie pozdrawiam|s pozdravem|se srdečným pozdravem|děkuji|üdvözlettel|tisztelettel|med vänlig hälsning|vänliga hälsningar|hälsningar|mvh|med venlig hilsen|venlig hilsen|hilsen|med vennlig hilsen|vennlig hilsen|ystävällisin terveisin|terveisin|saygılarımla|iyi çalışmalar|sevgilerle|с уважением|с наилучшими пожеланиями|спасибо|з повагою|με εκτίμηση|φιλικά|trân trọng|thân ái|atenciosamente|cumprimentos|abraços|cu stimă|cu drag|בברכה|תודה|مع تحياتي|مع خالص التحيات|تحياتي|此致|敬礼|谢谢|敬具|よろしくお願いします|감사합니다|პატივისცემით|მადლობით|საუკეთესო სურვილებით|հարգանքով|ขอแสดงความนับถือ|सादर|धन्यवाद सहित|hormat kami|hormat saya|salam|salam hangat|terima kasih|saygılarımızla|ar cieņu|pagarbiai|lugupidamisega|s poštovanjem|srdačan pozdrav|с почитанием|з найкращими побажаннями|با احترام|با سپاس|ارادتمند)[\s,.!:;-]{0,3}$/iu;
const ADDRESS_LINE = /^\s{0,8}(?:\d{1,6}[a-z]?[\s,]|c\/o\b|p\.?\s?o\.?\s?box|postfach|apt\b|suite\b|flat\b|unit\b|[\p{L}\p{M}]{2,30}(?:straße|strasse|str\.|gasse|weg|platz|allee|ring|damm|gatan|vägen|gränd|vej|gade|veien|gata|katu|tie|straat|laan|gracht|plein)\s{1,2}\d|[\p{L}\p{M}.'’ -]{2,40}\s(?:street|st\.?|road|rd\.?|avenue|ave\.?|lane|ln\.?|drive|dr\.?|way|court|ct\.?|place|pl\.?|boulevard|blvd\.?|terrace|crescent|close|square|highway|hwy|strasse|straße|str\.|weg|platz|gasse|allee|ring|damm|ufer|laan|straat|gracht|plein|gatan|gata|vägen|vej|gade|gate|veien|katu|tie|utca|út|tér|ulice|náměstí|třída|ulica|aleja|sokak|sokağı|caddesi|cad\.|mahallesi|mah\.)\s{0,2}\d|(?:rue|avenue|boulevard|chemin|impasse|allée|place|via|viale|piazza|corso|calle|avenida|paseo|carrer|rua|travessa|ul\.|ulica|al\.|aleja|улица|ул\.|проспект|пр\.|οδός|đường|phố)\s)/iu;
const POSTCODE_LINE = /^\s{0,8}(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b|\d{4,5}(?:-\d{4})?\s\p{Lu}|\p{Lu}[\p{L}.'’ -]{1,40},\s[A-Z]{2}\s\d{5}|[A-Z]-?\d{4,5}\s\p{Lu})/u;
const ADDRESS_LABEL = /(?:ship\sto|bill\sto|deliver\sto|send\sto|mail\sto|address|addressee|postal\saddress|mailing\saddress|shipping\saddress|billing\saddress|lieferadresse|rechnungsadresse|anschrift|adresse|adresse\sde\slivraison|dirección|direccion|indirizzo|adres|adresa|cím|osoite|adress|адрес|διεύθυνση|địa\schỉ|כתובת|العنوان|住所|地址|주소)\s{0,2}[:：]?\s{0,3}$/iu;
const NAME_HEADER = /^(?:full[\s_-]?name|first[\s_-]?name|last[\s_-]?name|given[\s_-]?name|family[\s_-]?name|surname|forename|name|contact|contact[\s_-]?name|customer|customer[\s_-]?name|client|client[\s_-]?name|employee|employee[\s_-]?name|patient|patient[\s_-]?name|owner|assignee|author|person|vorname|nachname|nom|prénom|nombre|apellido|nome|cognome|naam|imię|nazwisko|jméno|příjmení|név|navn|namn|fornavn|etternavn|förnamn|efternamn|nimi|ad|soyad|имя|фамилия|фио|όνομα|επώνυμο|tên|họ tên|שם|الاسم|姓名|氏名|이름)$/iu;
// headers that name anything ("name,price,sku" lists products, "name,size" files): by themselves no sign of people
const GENERIC_HEADER = /^(?:name|names|contact|customer|client|owner|assignee|author|person|employee|patient|nom|nombre|nome|naam|navn|namn|nimi|név|ad|имя|όνομα|tên|שם|الاسم|이름)$/iu;
// columns only a table of people has beside its name column: contact details, or an id of a person's role (customer_id)
const PERSON_COLUMN = /^(?:(?:customer|client|patient|employee|member|user|contact|guest|tenant|student|staff|person)[\s_-]?(?:id|no|number|nr)|e[\s_-]?mail|mail|email[\s_-]?address|phone|phone[\s_-]?number|tel|telephone|mobile|cell|address|street|dob|date[\s_-]?of[\s_-]?birth|birth[\s_-]?date|birthday|birthdate|gender|sex|age|title|salutation|job[\s_-]?title|department|teléfono|telefono|telefon|téléphone|dirección|direccion|adresse|indirizzo|geburtsdatum|correo|courriel|e-mail-adresse|fecha de nacimiento|date de naissance|data di nascita|телефон|адрес|почта|φύλο|τηλέφωνο)$/iu;
const LABEL_SHAPE = /^(?:\p{Lu}[\p{Ll}\p{M}'’.-]*(?:\s\p{Lu}[\p{Ll}\p{M}'’.-]*){0,2}|[\p{Ll}\p{M}'’.-]+(?:\s[\p{Ll}\p{M}'’.-]+){0,2}|[\p{Lo}\p{M}'’.-]+(?:\s[\p{Lo}\p{M}'’.-]+){0,2})$/u;
// (sticky: tested where the label ends, without a copy of the rest of the line)
const SPEECH = /\s{0,2}(?:["“'‘*_(¿¡]{0,2}[\p{L}])(?![a-z+.-]*:\/\/)/uy;
// SPEECH read by hand (each choice in it is forced by the next character); the regex reads a surrogate pair
const LETTER_ONLY_RE = /\p{L}/u;
const LETTER_ONLY = new Uint8Array(65536);
const isLetterOnly = (c: number) => (LETTER_ONLY[c] || (LETTER_ONLY[c] = LETTER_ONLY_RE.test(String.fromCharCode(c)) ? 1 : 2)) === 1;
const isSpeechQuote = (c: number) => c === 34 || c === 0x201c || c === 39 || c === 0x2018 || c === 42 || c === 95 || c === 40 || c === 0xbf || c === 0xa1;
const speechAt = (line: string, at: number) => {
  const n = line.length;
  let i = at;
  for (let sp = 0; sp < 2 && i < n && isSpace(line.charCodeAt(i)); sp++) i++;
  for (let q = 0; q < 2 && i < n && isSpeechQuote(line.charCodeAt(i)); q++) i++;
  if (i >= n) return false;
  const c = line.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdfff) {
    SPEECH.lastIndex = at;
    return SPEECH.test(line);
  }
  if (!isLetterOnly(c)) return false;
  i++;
  // not a URL's scheme ("alice: https://...")
  for (;;) {
    const d = line.charCodeAt(i);
    if ((d >= 97 && d <= 122) || d === 43 || d === 46 || d === 45) i++;
    else break;
  }
  return !(line.charCodeAt(i) === 58 && line.charCodeAt(i + 1) === 47 && line.charCodeAt(i + 2) === 47);
};
/** The line ends in a comma, brace, bracket or semicolon (code or a value list, not speech). */
const endsOpen = (line: string) => {
  let q = line.length - 1;
  while (q >= 0 && isSpace(line.charCodeAt(q))) q--;
  const ch = line.charCodeAt(q);
  return ch === 44 || ch === 123 || ch === 91 || ch === 40 || ch === 59;
};
const LABEL_LINE = /^(\s{0,4}(?:[-*•>]\s{1,2})?(?:\[[^\]\n]{1,24}\]\s{0,2})?)([\p{L}\p{M}][\p{L}\p{M}'’.-]{0,30}(?:\s[\p{L}\p{M}][\p{L}\p{M}'’.-]{0,30}){0,2})\s{0,2}[:：]\s/u;
// LABEL_LINE read by hand, without a match array per line: every choice in it is forced by the next character (a
// letter opens the label, a bullet or "[" the prefix), so reading greedily finds its one match. The bounds of the last
// match: LL_A where the label starts (group 1's end), LL_B where it ends, LL_END where the match ends.
let LL_A = 0, LL_B = 0, LL_END = 0;
const isLabelChar = (c: number) => c === 39 || c === 0x2019 || c === 46 || c === 45 || isLetter(c);
/** 1 when LABEL_LINE matches `line`, 0 when it does not, -1 when a surrogate pair is in the way (the regex reads those). */
function labelLine(line: string): number {
  const n = line.length;
  let i = 0;
  while (i < 4 && i < n && isSpace(line.charCodeAt(i))) i++;
  let c = line.charCodeAt(i);
  if (c === 45 || c === 42 || c === 0x2022 || c === 62) {
    let j = i + 1;
    while (j - i - 1 < 2 && j < n && isSpace(line.charCodeAt(j))) j++;
    if (j === i + 1) return 0;
    i = j;
    c = line.charCodeAt(i);
  }
  if (c === 91) {
    let j = i + 1;
    while (j < n && j - i - 1 < 25) {
      const d = line.charCodeAt(j);
      if (d === 93 || d === 10) break;
      if (d >= 0xd800 && d <= 0xdfff) return -1;
      j++;
    }
    if (line.charCodeAt(j) !== 93 || j === i + 1 || j - i - 1 > 24) return 0;
    i = j + 1;
    for (let sp = 0; sp < 2 && i < n && isSpace(line.charCodeAt(i)); sp++) i++;
    c = line.charCodeAt(i);
  }
  LL_A = i;
  for (let w = 0; w < 3; w++) {
    if (w > 0) {
      // another word: one space, then a letter
      if (!(i + 1 < n && isSpace(line.charCodeAt(i)))) break;
      const d = line.charCodeAt(i + 1);
      if (d >= 0xd800 && d <= 0xdfff) return -1;
      if (!isLetter(d)) break;
      i++;
    }
    c = line.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return -1;
    if (!(i < n && isLetter(c))) return 0;
    const w0 = i;
    i++;
    while (i < n && i - w0 <= 30) {
      const d = line.charCodeAt(i);
      if (d >= 0xd800 && d <= 0xdfff) return -1;
      if (!isLabelChar(d)) break;
      i++;
    }
    if (i < n && isLabelChar(line.charCodeAt(i))) return 0;
    if (line.charCodeAt(i) >= 0xd800 && line.charCodeAt(i) <= 0xdfff) return -1;
  }
  LL_B = i;
  for (let sp = 0; sp < 2 && i < n && isSpace(line.charCodeAt(i)); sp++) i++;
  c = line.charCodeAt(i);
  if (c !== 58 && c !== 0xff1a) return 0;
  i++;
  if (!(i < n && isSpace(line.charCodeAt(i)))) return 0;
  LL_END = i + 1;
  return 1;
}
// the sign-off phrases of SIGNOFF as a set: one lookup per line instead of a regex with 150 alternatives
const SIGNOFF_SET = new Set(SIGNOFF.source.slice(SIGNOFF.source.indexOf('(?:') + 3, SIGNOFF.source.lastIndexOf(')')).split('|'));
const SIGNOFF_FIRST = new Set([...SIGNOFF_SET].map((p) => p.split(' ')[0]!));
const SIGNOFF_FIRST_MAX = Math.max(...[...SIGNOFF_FIRST].map((w) => w.length));
/** Cheap gate: the first word (after quote marks and bullets) opens some sign-off. */
const opensSignoff = (t: string, from = 0) => {
  let a = from;
  for (;;) {
    const ch = t.charCodeAt(a);
    if (ch === 62 || ch === 42 || ch === 95 || ch === 45 || ch === 32 || ch === 9) a++;
    else break;
  }
  let b = a;
  while (b < t.length && b - a <= SIGNOFF_FIRST_MAX && isLetter(t.charCodeAt(b))) b++;
  return b > a && b - a <= SIGNOFF_FIRST_MAX && SIGNOFF_FIRST.has(t.slice(a, b).toLowerCase());
};
/** The whole (trimmed) text is a sign-off phrase; `opened`: opensSignoff is known to hold. */
const isSignoffText = (t: string, opened = false) => {
  if (t.length === 0 || t.length > 48 || !(opened || opensSignoff(t))) return false;
  const x = t.toLowerCase().replace(/^[>*_-]{1,4}\s?/, '').replace(/[\s,.!:;-]{1,3}$/, '');
  return SIGNOFF_SET.has(x);
};
// a letter's sign-off line repeats in a thread ("Regards,"): what isSignoffText says of each is kept (bounded, cleared
// when full), for lines of up to 12 code units only: a longer slice may be a view into the whole text, which the map
// would keep alive
const SIGNOFF_MEMO = new Map<string, boolean>();
/** isSignoffText of a trimmed line that opensSignoff holds for. */
function signoffLine(t: string): boolean {
  if (t.length > WORD_CACHE_LEN) return isSignoffText(t, true);
  let r = SIGNOFF_MEMO.get(t);
  if (r === undefined) {
    r = isSignoffText(t, true);
    if (SIGNOFF_MEMO.size >= 4096) SIGNOFF_MEMO.clear();
    SIGNOFF_MEMO.set(t, r);
  }
  return r;
}
const SIGNOFF_INLINE = /^(.{0,40}?)[,–—-]\s{0,2}(?=\S)/;
/**
 * "… Order PO 46086. Με εκτίμηση, Αγγελική Παναγιώτου": a letter written as one paragraph ends with its sign-off and
 * the writer's name after the last sentence of the line (looked for in the last 90 code units only).
 */
const TAIL_NAME = /^(?:[\p{Lu}\p{Lo}\u10d0-\u10ff][\p{L}\p{M}'’-]{0,30}\.?(?:\s|$)){1,4}[.!]?$/u;
function tailSignoff(c: Ctx, line: string, pos: number, ta: number, tb: number): void {
  const from = Math.max(ta, tb - 90);
  let s = -1;
  for (const p of ['. ', '! ', '? ']) {
    const q = line.lastIndexOf(p, tb);
    if (q >= from && q > s) s = q;
  }
  if (s === -1) return;
  const tail = line.slice(s + 2, tb);
  if (!opensSignoff(tail)) return;
  const so = SIGNOFF_INLINE.exec(tail);
  // the name ends the line ("Thanks, Python is great" is a sentence)
  if (so && TAIL_NAME.test(tail.slice(so[0].length)) && isSignoffText(so[1]!.trim())) markValue(c, firstTokenAtSearch(c.toks, pos + s + 2 + so[0].length), pos + tb, false, false);
}
// what scanLines looks for on a line, by code unit: 1 tab, 2 ";", 3 ",", 4 ":", 5 "：", 6 "@", 7 an ASCII digit (\d), 8 a dash
const LINE_CH = new Uint8Array(65536);
LINE_CH[9] = 1;
LINE_CH[59] = 2;
LINE_CH[44] = 3;
LINE_CH[58] = 4;
LINE_CH[0xff1a] = 5;
LINE_CH[64] = 6;
for (let d = 48; d <= 57; d++) LINE_CH[d] = 7;
LINE_CH[45] = LINE_CH[0x2013] = LINE_CH[0x2014] = 8;
const LABEL_STOP = new Set('q|a|note|notes|nb|ps|re|fw|fwd|subject|summary|answer|question|example|examples|output|input|result|results|error|warning|info|debug|todo|fixme|step|steps|status|date|time|name|email|phone|tel|fax|address|url|link|source|sources|update|edit|tip|hint|important|warning|caution|user|users|assistant|system|human|ai|bot|agent|customer|client|support|admin|moderator|operator|host|guest|interviewer|interviewee|speaker|narrator|caller|teacher|student|doctor|patient|nurse|mom|dad|me|you|us|them|both|all|everyone|title|description|details|reason|price|total|cost|location|team|role|level|type|category|priority|severity|version|build|env|environment|from|to|cc|bcc|sent|date|attachment|attachments|tags'.split('|'));

interface Ctx {
  text: string;
  toks: Tok[];
  mark: Uint8Array; // 1 = part of a name
  hasHash: boolean;
  markAs: number; // what markValue writes: 2 after a cue (title, introduction, field label), 1 from a line shape
  lsPos: number; // inHeading's last position asked and the start of its line (-1: unknown, over 200 back)
  lsStart: number;
}

const before = (text: string, pos: number, n = 40) => text.slice(Math.max(0, pos - n), pos);
const sentenceStart = (text: string, pos: number) => {
  let i = pos - 1;
  for (;;) {
    const ch = text.charCodeAt(i);
    if (i >= 0 && (ch === 32 || ch === 9 || ch === 34 || ch === 0x201c || ch === 40 || ch === 42 || ch === 45)) i--;
    else break;
  }
  if (i < 0) return true;
  const ch = text.charCodeAt(i);
  // . ! ? \n \r : > … 。 ！ ？
  return ch === 46 || ch === 33 || ch === 63 || ch === 10 || ch === 13 || ch === 58 || ch === 62 || ch === 0x2026 || ch === 0x3002 || ch === 0xff01 || ch === 0xff1f;
};
/** Is pos on a Markdown heading line? The line start is found from the last one asked for (calls come in text order). */
const inHeading = (c: Ctx, pos: number) => {
  if (!c.hasHash) return false;
  const { text } = c;
  let start = -1;
  const from = c.lsPos <= pos && pos - c.lsPos < 1 << 20 ? c.lsPos : Math.max(0, pos - 200);
  for (let i = pos - 1; i >= from; i--) if (text.charCodeAt(i) === 10) { start = i + 1; break; }
  if (start === -1) start = from === c.lsPos ? c.lsStart : from === 0 ? 0 : -1;
  c.lsPos = pos;
  c.lsStart = start;
  if (start === -1 || pos - start >= 200) return false;
  let j = start;
  while (j < pos && text.charCodeAt(j) === 32) j++;
  return text.charCodeAt(j) === 35;
};
const gapIsSpace = (text: string, a: number, b: number) => b - a === 1 && (text.charCodeAt(a) === 32 || text.charCodeAt(a) === 160);


const SPACE_GAP = /^[ \t\u00a0]{1,2}$/;
const COLON_GAP = /^[ \t]?[:：][ \t\u00a0]{0,3}$/;
const COMMA_GAP = /^[,!][ \t\u00a0]{1,2}$/;
const DOT_GAP = /^\.[ \t\u00a0]{1,2}$/;
const NEWLINE_GAP = /^[,!:：]?[ \t]*\r?\n[ \t]*$/;

const isBlank = (ch: number) => ch === 32 || ch === 9 || ch === 160;
/**
 * Which cues the characters between a cue word and a candidate let through: one or two spaces (all but field labels),
 * a colon (field, kin, introduction), a comma or "!" (greeting, kin), a dot (title), a line break after ":" (field) or
 * after "," / "!" (greeting); "&" or "@" mark a firm ("Johnson & Johnson"). Read character by character.
 */
/** "Αγαπητέ/ή", "Уважаемый(ая)", "Bapak/Ibu": a form letter's two genders of one salutation, read as one cue phrase. */
const formGap = (text: string, a: number, b: number) => b - a === 1 && (text.charCodeAt(a) === 47 || text.charCodeAt(a) === 40);
function gapAllows(text: string, a: number, b: number): number {
  const len = b - a;
  const c0 = text.charCodeAt(a);
  // "Уважаемый(ая) Иван": the salutation's bracketed ending, then the name
  if (c0 === 41 && len === 2 && isBlank(text.charCodeAt(a + 1))) return C_GREET;
  let i = a + 1;
  if (isBlank(c0) && (len === 1 || (len === 2 && isBlank(text.charCodeAt(a + 1))))) return ~C_FIELD;
  // ",", "!", ":", "：" or "." then blanks, or a line break
  let lead = c0;
  if (c0 === 32 || c0 === 9) {
    // " :" (French spacing)
    lead = text.charCodeAt(a + 1);
    i = a + 2;
    if (lead !== 58 && lead !== 0xff1a) lead = -1;
  }
  if (lead === 58 || lead === 0xff1a || lead === 44 || lead === 33 || lead === 46) {
    const afterLead = i;
    let blanks = 0;
    while (i < b && isBlank(text.charCodeAt(i))) {
      i++;
      blanks++;
    }
    if (i === b) {
      if (lead === 58 || lead === 0xff1a) return blanks <= 3 ? C_FIELD | C_KIN | C_INTRO : 0;
      if (c0 !== lead || blanks < 1 || blanks > 2) return 0;
      return lead === 46 ? C_TITLE : C_GREET | C_KIN;
    }
    if (c0 !== lead || lead === 46) return firmGap(text, a, b);
    return newlineRest(text, afterLead, b) ? (lead === 44 || lead === 33 ? C_GREET : C_FIELD) : firmGap(text, a, b);
  }
  if (c0 === 32 || c0 === 9) return newlineRest(text, a, b) ? 0 : firmGap(text, a, b);
  return (c0 === 10 || c0 === 13) && newlineRest(text, a, b) ? 0 : firmGap(text, a, b);
}
/** [ \t]*\r?\n[ \t]* to b (a line break between the cue and the candidate). */
function newlineRest(text: string, i: number, b: number): boolean {
  while (i < b && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (text.charCodeAt(i) === 13) i++;
  if (text.charCodeAt(i) !== 10) return false;
  i++;
  while (i < b && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i === b;
}
function firmGap(text: string, a: number, b: number): number {
  for (let q = a; q < b; q++) {
    const ch = text.charCodeAt(q);
    if (ch === 38 || ch === 64) return C_FIRM;
  }
  return 0;
}

/** What the words right before token k say about it (C_* bits): a few map lookups. */
function cueBefore(c: Ctx, k: number): number {
  if (k === 0) return 0;
  const { text, toks } = c;
  const prev = toks[k - 1]!;
  const rawEnd = prev.s + prev.low.length;
  const gapLen = toks[k]!.s - rawEnd;
  if (gapLen > 5 || prev.low.length === 0) return 0;
  const g0 = text.charCodeAt(rawEnd);
  // the word before opens no cue phrase (most words): only "Johnson & Johnson", "Acme @ Berlin" can still say something
  if (!(prev.m & M_CUE_TAIL)) {
    for (let q = rawEnd; q < rawEnd + gapLen; q++) {
      const ch = text.charCodeAt(q);
      if (ch === 38 || ch === 64) return C_FIRM;
    }
    return 0;
  }
  const allowed = gapAllows(text, rawEnd, toks[k]!.s);
  // (what the gap lets through is ANDed with all below: nothing gets through, nothing to look up)
  if (allowed === C_FIRM || allowed === 0) return allowed;
  let mask = 0;
  let level: Map<string, CueNode> | null = CUE_TRIE;
  for (let n = 1; n <= 4 && k - n >= 0 && level; n++) {
    const t = toks[k - n]!;
    if (n > 1 && !gapIsSpace(text, t.s + t.low.length, toks[k - n + 1]!.s) && !formGap(text, t.s + t.low.length, toks[k - n + 1]!.s)) break;
    // most words end no cue phrase: stop as soon as the words so far are no phrase's tail
    const node = level.get(t.low);
    if (!node) break;
    if (node.bits !== -1) mask |= node.bits & ~(C_KIN | C_POSS | C_KINADJ | C_KINVERB);
    level = node.prev;
  }
  // "my kid Marie", "our youngest daughter, marie", "my friend named leonti"
  let q = k - 1;
  if (q > 0 && (toks[q]!.m & C_KINVERB)) q--;
  if ((toks[q]!.m & C_KIN) && q > 0) {
    let r = q - 1;
    if (r > 0 && (toks[r]!.m & C_KINADJ)) r--;
    if (toks[r]!.m & C_POSS) mask |= C_KIN;
  }
  return mask & allowed;
}

/** Candidate runs of capitalised (or caseless-script) words: scored by lexicon and context. */
function scoreRuns(c: Ctx): void {
  const { text, toks, mark } = c;
  let i = 0;
  while (i < toks.length) {
    const t = toks[i]!;
    // a caseless-script word right after a Latin-script word ("email محمد الأحمد the contract") may start a name island
    const island = t.shape === Shape.NoCase && i > 0 && toks[i - 1]!.gap === 0 && toks[i - 1]!.shape !== Shape.NoCase && toks[i - 1]!.key.charCodeAt(0) < 0x250;
    const candidate = (t.shape === Shape.Cap || t.shape === Shape.Initial || (t.shape === Shape.NoCase && (isName(fl(t)) || island)) ||
      (t.shape === Shape.Upper && (isName(fl(t)) || (t.gap === 0 && toks[i + 1]?.shape === Shape.Upper && isName(fl(toks[i + 1]!)))))) && (fl(t) & X) === 0;
    if (!candidate) {
      i++;
      continue;
    }
    // extend: single spaces, particles allowed inside, at most 5 words
    let j = i + 1;
    let words = 1;
    while (j < toks.length && words < 5) {
      const u = toks[j]!;
      if (!gapIsSpace(text, toks[j - 1]!.e, u.s) || toks[j - 1]!.poss) break;
      const ok = (u.shape === Shape.Cap || u.shape === Shape.Initial || (u.shape === Shape.NoCase && (isName(fl(u)) || island)) ||
        (u.shape === Shape.Upper && (isName(fl(u)) || toks[j - 1]!.shape === Shape.Upper))) && (fl(u) & X) === 0;
      if (ok) {
        j++;
        words++;
        continue;
      }
      // particles: "van der", "de la", "bin"
      if (u.shape === Shape.Lower && PARTICLE_WORDS.has(u.low) && (fl(u) & P)) {
        let k = j;
        while (k < toks.length && k - j < 3 && PARTICLE_WORDS.has(toks[k]!.low) && (fl(toks[k]!) & P) && toks[k]!.shape === Shape.Lower && gapIsSpace(text, toks[k - 1]!.e, toks[k]!.s)) k++;
        const v = toks[k];
        if (v && gapIsSpace(text, toks[k - 1]!.e, v.s) && v.shape === Shape.Cap && (fl(v) & X) === 0) {
          j = k + 1;
          words++;
          continue;
        }
      }
      break;
    }
    evaluateRun(c, i, j);
    i = j;
  }
}

const VERB_FORM = /(?:ing|ed|s)$/;
// "budget for Orion dashboard": a purpose preposition is a weak cue that a project takes as readily as a person
const FOR_WORDS = new Set('for für pour para per voor'.split(' '));
const NOT_NOUN = new Set('today tomorrow yesterday tonight again also here there then later soon already still instead please'.split(' '));
/** The word after a lone name (toks[j]) is a lower-case content word on the same line: the name is its modifier. */
function modifiesNoun(c: Ctx, j: number): boolean {
  const u = c.toks[j];
  if (!u || u.shape !== Shape.Lower || !gapIsSpace(c.text, c.toks[j - 1]!.e, u.s) || u.e - u.s < 4) return false;
  // a verb form or an adverb after a name is its predicate ("Is Polly joining", "ask Jessica tomorrow"), not its noun
  if (VERB_FORM.test(u.low) || NOT_NOUN.has(u.low)) return false;
  return (fl(u) & (X | P | G | S)) === 0;
}

function evaluateRun(c: Ctx, i0: number, j0: number): void {
  const { text, toks, mark } = c;
  let i = i0;
  let j = j0;
  // leading ordinary words ("Please", "Invite", "Dear"), titles and particles are not part of the name, unless "Will Smith"
  while (i < j) {
    const t = toks[i]!;
    if ((fl(t) & T) || ((fl(t) & P) && !isName(fl(t))) || (t.shape === Shape.Initial && i + 1 === j)) {
      i++;
      continue;
    }
    // a greeting written in a script whose case marks no sentence start ("Αγαπητέ Γιώργο", "שלום דוד"): a cue before
    // the name, not part of it (Latin-script greetings that are names, "Cara", stay)
    if ((t.m & C_GREET) && i + 1 < j && (!isName(fl(t)) || t.key.charCodeAt(0) >= 0x370)) {
      i++;
      continue;
    }
    if (!(fl(t) & W)) break;
    if (isName(fl(t))) {
      let q = i + 1;
      while (q < j && (fl(toks[q]!) & P)) q++;
      const n = toks[q];
      if (n && q < j && (plainName(fl(n)) || (!sentenceStart(text, t.s) && !(fl(n) & X) && (isName(fl(n)) || !(fl(n) & W))))) break;
    }
    i++;
  }
  // trailing ordinary words go, but "Nguyễn Văn An": a name-word after two names stays
  while (j > i) {
    const t = toks[j - 1]!;
    if (t.shape === Shape.Initial || (fl(t) & T)) j--;
    else if ((fl(t) & (W | P)) && !plainName(fl(t))) {
      let names = 0;
      for (let q = i; q < j - 1; q++) if (plainName(fl(toks[q]!))) names++;
      if (isName(fl(t)) && (t.shape === Shape.Cap || t.shape === Shape.Upper) && names >= 1 && !(fl(t) & P)) break;
      j--;
    } else break;
  }
  if (j <= i) return;
  // "Meeting With Anna Berg": when an ordinary capitalised word precedes a known given name, start at the name
  if (!(fl(toks[i]!) & G)) for (let k = i + 1; k < j - 1; k++) if (plainName(fl(toks[k]!)) && (fl(toks[k]!) & G) && !isName(fl(toks[i]!))) {
    i = k;
    break;
  }
  const start = toks[i]!.s;
  const last = toks[j - 1]!;
  const end = last.e;
  let n = 0;
  let score = 0;
  let lexWords = 0;
  // an all-capitals run ("TSUNG-MING HSUEH") with a known name in it: its other words count like unseen capitalised ones
  let upperRun = true;
  let upperNames = 0;
  for (let k = i; k < j; k++) {
    const t = toks[k]!;
    if (t.shape !== Shape.Upper) upperRun = false;
    else if (plainName(fl(t))) upperNames++;
  }
  upperRun = upperRun && upperNames > 0 && j - i >= 2;
  // caseless-script words between Latin-script words: a foreign name in an English sentence
  let islandRun = i > 0 && toks[i - 1]!.gap === 0 && toks[i - 1]!.shape !== Shape.NoCase && toks[i - 1]!.key.charCodeAt(0) < 0x250;
  for (let k = i; k < j && islandRun; k++) if (toks[k]!.shape !== Shape.NoCase) islandRun = false;
  const nextTok = toks[j];
  if (islandRun && nextTok && nextTok.shape === Shape.NoCase) islandRun = false;
  for (let k = i; k < j; k++) {
    const t = toks[k]!;
    if (t.shape === Shape.Initial) {
      score += 0.5;
      continue;
    }
    if ((fl(t) & P) && !isName(fl(t))) continue;
    n++;
    const f = fl(t);
    if (isName(f)) lexWords++;
    if (t.shape === Shape.NoCase) score += f & G ? 2 : f & S ? 1.5 : islandRun ? 0.8 : 0;
    else if (t.shape === Shape.Upper) score += plainName(f) ? 1.5 : isName(f) ? 0.6 : upperRun && t.e - t.s >= 3 ? 0.8 : 0;
    else if (f & W) score += isName(f) ? 0.6 : -1;
    else if (f & G) score += 2;
    else if (f & S) score += 1.5;
    else score += SURNAME_SHAPE.test(text.slice(t.s, t.e)) ? 1.5 : k > i && isName(fl(toks[k - 1]!)) ? 1 : 0.8;
  }
  if (n === 0) return;
  const cue = cueBefore(c, i);
  if (cue & C_FIRM) return;
  // "Okafor's wife", "Zqorvik's passport": what a person has and a firm or a place does not is as good as a cue before
  const cueStrong = (cue & STRONG) !== 0;
  const strong = cueStrong || (last.poss && possessesPersonal(c, j));
  // the regexes over what follows run only when the next word could open one of their phrases (a 2-letter gate)
  const nx = nextWordPrefix(text, end);
  const gates = gatesOf(nx);
  // what follows, as a string, only for a regex whose gate passed (no gate passes at the end of the text: nx is '')
  const post = () => text.slice(end, end + 48);
  if (strong) score += 3;
  else if (cue & (C_WEAK | C_LOWVERB)) score += 0.7;
  // (a party's role in brackets or an age after the name says person as an address does: personAfter)
  const emailAfter = (nx.length === 1 && (nx === '<' || nx === '(' || nx === '[') && EMAIL_AFTER.test(post())) || personAfter(nx, post);
  if (emailAfter) score += 2.5;
  if (last.poss) score += 1;
  const verbAfter = (gates & G_VERB) !== 0 && (VERB_AFTER.test(post()) || AFTER_SUFFIX.test(post()));
  if (verbAfter) score += 1;
  else if ((gates & G_WEAK) !== 0 && WEAK_VERB_AFTER.test(post())) score += 0.5;
  // only unseen words ("Downloadable Databases", a Title Case heading): a name only with some cue around it
  if (lexWords === 0 && !strong && !emailAfter && !verbAfter && !(cue & (C_WEAK | C_LOWVERB))) return;
  // in a caseless script every word looks alike: "I am" + unseen words ("მე ვარ ძალიან კარგად", I am very well) is no name
  if (lexWords === 0 && !islandRun && !(cue & (C_NAMED | C_FIELD | C_TITLE | C_KIN)) && toks[i]!.shape === Shape.NoCase) return;
  const atStart = sentenceStart(text, start);
  if (n === 1) {
    const f = fl(toks[i]!);
    if (!isName(f) && (!strong || toks[i]!.shape === Shape.NoCase)) return; // an unseen single word needs a cue (and a case)
    if ((toks[i]!.shape === Shape.Upper || toks[i]!.shape === Shape.NoCase) && !strong) return;
    // "Mr. Smith", "Dr. Jekyll": a title and a bare surname are a form of address, not an identifying name
    if ((cue & STRONG) === C_TITLE && !(f & G) && !last.poss) return;
    if (atStart) score -= 0.5;
    else if (f & G && !(f & W)) score += 0.5;
    if (score < 2.5) return;
    // "Atlas migration", "für Orion dashboard": a lone capitalised word that modifies the lower-case noun after it names
    // a project or a product; without any cue, verb or e-mail a lone given name is not read that way
    if ((cue === 0 || (cue === C_WEAK && FOR_WORDS.has(toks[i - 1]!.low))) && !verbAfter && !emailAfter && modifiesNoun(c, j)) return;
  } else if (score < 2.2 && !(lexWords >= 1 && strong)) return;
  // the costlier vetoes last, for runs that passed: company suffix, Markdown heading, place, eponymous firm
  if ((gates & G_COMPANY) !== 0 && COMPANY_AFTER.test(post())) return;
  if (orgAfter(c, j)) return;
  // a Markdown heading ("## Session and Authentication Caching") is Title Case by convention: it needs a cue
  if (!strong && inHeading(c, start)) return;
  // a place or a firm, also when trimming cut it ("the São Paulo office": São is an ordinary word); "my daughter Sofia" is a person
  // (only runs whose first word opens some place or firm name build the keys)
  const keyOf = (a: number, b: number) => toks.slice(a, b).map((t) => foldOf(t.w)).join(' ').replace(/'/g, '');
  const opens = (a: number) => {
    const k = foldOf(toks[a]!.w);
    return PLACE_FIRST.has(k.indexOf("'") === -1 ? k : k.replace(/'/g, ''));
  };
  if (opens(i)) {
    const key = keyOf(i, j);
    if (EPONYMS.has(key) || (!cueStrong && PLACES.has(key))) return;
  }
  // after a field cue ("customer: Berlin, Germany") a place needs more than its name alone to stay: placeValue
  if (cueStrong && (cue & C_FIELD) && placeValue(c, i, j, text.length)) return;
  if (!cueStrong && (i0 < i || j0 > j) && j0 - i0 <= 4) {
    for (let a = i0; a <= i; a++) if (opens(a)) for (let b = Math.max(j, a + 1); b <= j0; b++) if ((a < i || b > j) && PLACES.has(keyOf(a, b))) return;
  }
  // a run with a strong cue or an e-mail after is strong evidence (2): its words count again elsewhere in the text
  const m = strong || emailAfter ? 2 : 1;
  for (let k = i; k < j; k++) mark[k] = m;
}

// kin, life events, health, personal papers and belongings: had by people, not by products, firms or cities (no
// "child", "home", "license", "signature", "health": a library's child logger, a firm's home page)
const PERSONAL = new Set(('wife|husband|fiancé|fiancée|girlfriend|boyfriend|son|daughter|mom|mum|mother|dad|father|brother|sister|' +
  'siblings|grandmother|grandfather|grandma|grandpa|uncle|aunt|cousin|nephew|niece|stepson|stepdaughter|' +
  'birthday|funeral|wedding|retirement|pregnancy|illness|diagnosis|surgery|medication|prescription|allergy|allergies|' +
  'wallet|purse|handbag|backpack|glasses|laptop|locker|bike|bicycle|apartment|bedroom|' +
  'passport|visa|payslip|salary|paycheck|pension|mortgage|resume|résumé|cv|handwriting|maiden|nickname|' +
  'lawyer|attorney|dentist|therapist|nanny|landlord|roommate|boss|dog|cat').split('|'));
const POSS_ADJ = new Set('new|old|own|little|older|younger|elder|eldest|youngest|late|ex|former|current|lost|broken|stolen|spare'.split('|'));
/** After "X's": a personal noun, perhaps behind one adjective ("Jessen's new laptop"). */
function possessesPersonal(c: Ctx, j: number): boolean {
  const { text, toks } = c;
  let q = j;
  for (let hop = 0; hop < 2 && q < toks.length; hop++, q++) {
    const t = toks[q]!;
    if (!gapIsSpace(text, toks[q - 1]!.r, t.s) || t.shape !== Shape.Lower) return false;
    if (PERSONAL.has(t.low)) return true;
    if (!POSS_ADJ.has(t.low)) return false;
  }
  return false;
}

/** Marks up to `max` name-shaped tokens starting at token index k (field values, signatures, speaker labels). */
/** The field label right before token k names anything ("Name:", "Owner:"), not a person's name ("Full name:", "Vorname:"). */
function genericLabel(toks: Tok[], k: number): boolean {
  const p = toks[k - 1];
  if (!p || !GENERIC_HEADER.test(p.low)) return false;
  const pp = toks[k - 2];
  return !(pp && pp.gap === 0 && PERSON_LABEL_WORDS.has(pp.low));
}
const PERSON_LABEL_WORDS = new Set('full first last given family middle maiden legal birth customer client patient employee contact account card your my his her their'.split(' '));

// What follows a name in a contract, a record or a clinical note and only follows a person: the party's role in
// brackets ('Zorvan Eltrin ("Landlord")', '(hereinafter the "Tenant")', '(nachfolgend „Mieter“)'), an age ("Okon
// Brathwaite, 54 y/o", "54-year-old"), "an individual", "born", "residing at". Roles a firm takes too (Company,
// Supplier, Provider, Licensor) are not in the list.
const PERSON_ROLE_AFTER = new RegExp('^\\s?\\(\\s?(?:the\\s|hereinafter\\s(?:referred\\sto\\sas\\s|called\\s)?(?:the\\s)?|hereafter\\s(?:the\\s)?|' +
  'nachfolgend\\s(?:der\\s|die\\s)?|im\\sfolgenden\\s(?:der\\s|die\\s)?|ci-après\\s(?:dénommée?\\s)?(?:le\\s|la\\s|l\')?|en\\sadelante\\s(?:el\\s|la\\s)?|' +
  'di\\sseguito\\s(?:il\\s|la\\s)?|hierna\\s(?:de\\s)?)?["“”\'‘„«]?\\s?(?:landlord|landlady|tenant|lodger|subtenant|employee|worker|' +
  'contractor|consultant|freelancer|guarantor|borrower|co-borrower|buyer|purchaser|seller|executor|trustee|testator|beneficiary|' +
  'witness|patient|lessor|lessee|spouse|husband|wife|guardian|parent|student|intern|homeowner|occupant|claimant|' +
  'mieter|mieterin|vermieter|vermieterin|arbeitnehmer|arbeitnehmerin|käufer|käuferin|verkäufer|verkäuferin|bürge|' +
  'locataire|bailleur|bailleresse|preneur|salarié|salariée|acheteur|vendeur|arrendador|arrendadora|arrendatario|arrendataria|' +
  'inquilino|inquilina|trabajador|trabajadora|comprador|compradora|vendedor|vendedora|locador|locadora|locatário|locatária|' +
  'locatore|locatrice|conduttore|conduttrice|lavoratore|lavoratrice|huurder|verhuurder|werknemer|koper|verkoper)["“”\'’“»]?\\s?[),]|' +
  // a record's details in brackets: "(54, M)", "(DOB 1970-01-01)", "(age 54)", "(MRN 448812)"
  '^\\s?\\((?:\\d{1,3}\\s?(?:y\\/o|yo|y|[mf])\\b|\\d{1,3},\\s?[mf]\\b|dob\\b|d\\.o\\.b\\.|born\\s|age[ds]?\\s\\d|mrn\\b|patient\\sid\\b|employee\\sid\\b)', 'iu');
const PERSON_AGE_AFTER = /^,?\s(?:an?\s\d{1,3}(?:-year-old|\syears?\sold)\b|\d{1,3}\s?(?:y\/o|yo|y\.o\.|years?\sold|-year-old|year-old|j\.|jahre|ans|años|anni|jaar|år|lat)\b|\d{1,3}-year-old|aged\s\d{1,3}\b|an\sindividual\b|born\s|residing\s(?:at|in)\b|domiciled\s|geb\.\s|geboren\s|née?\s|nacid[oa]\s|nat[oa]\s|nascid[oa]\s)/iu;
function personAfter(nx: string, post: () => string): boolean {
  const c0 = nx.charCodeAt(0);
  if (c0 === 40) return nx.length === 1 && PERSON_ROLE_AFTER.test(post());
  // (the first letters of PERSON_AGE_AFTER's words: a, b, d, g, n, r)
  if ((c0 >= 48 && c0 <= 57) || c0 === 97 || c0 === 98 || c0 === 100 || c0 === 103 || c0 === 110 || c0 === 114) return PERSON_AGE_AFTER.test(post());
  return false;
}

// words that make the capitalised words before them a team, a unit or a firm
const ORG_AFTER_WORDS = new Set(('team|teams|department|dept|unit|ward|division|squad|committee|board|office|service|services|clinic|group|' +
  'inc|ltd|llc|llp|plc|gmbh|ag|corp|corporation|co|sa|sas|srl|bv|nv|limited|partners|associates|holdings|labs|foundation|' +
  'abteilung|station|équipe|service|servicio|equipo|reparto|afdeling').split('|'));
/** The word right after token j-1 (one space between) makes the words before it an organisation's name. */
function orgAfter(c: Ctx, j: number): boolean {
  const u = c.toks[j];
  return u !== undefined && gapIsSpace(c.text, c.toks[j - 1]!.r, u.s) && u.shape !== Shape.Lower && ORG_AFTER_WORDS.has(u.low);
}

// capitalised words that name what follows them as a group or an undertaking: "Team Alpha", "Project Phoenix"
const ORG_BEFORE_WORDS = new Set(('team|project|operation|program|programme|initiative|mission|squad|codename|' +
  'projekt|projet|proyecto|progetto|operación|opération').split('|'));
/**
 * "Apache Flink", "Team Alpha", "Project Maria": a span that opens with a vendor or brand (X in the lexicon: it got into
 * the span only through some path that joins words), or that follows a capitalised group noun, is the name of a
 * product, a team or a project. Whatever found it, the evidence was about the words, not about a person.
 */
function productName(c: Ctx, k: number): boolean {
  const { toks, text } = c;
  const t = toks[k]!;
  // (the lexicon's flags, not the token's: a path that joined it may have cleared them)
  if (t.shape === Shape.Cap && (flagsOf(t.key) & X) && !(flagsOf(t.key) & (T | G | S))) return true;
  const p = toks[k - 1];
  return p !== undefined && p.shape === Shape.Cap && !p.poss && gapIsSpace(text, p.e, t.s) && ORG_BEFORE_WORDS.has(p.low);
}

const EDITION_WORDS = new Set(('mode|edition|enterprise|premium|professional|community|cloud|studio|suite|platform|desktop|server|' +
  'gala|festival|conference|summit|awards|meetup|hackathon|expo|keynote|webinar|roadshow|bootcamp').split('|'));
const SEASON_WORDS = new Set('spring|summer|autumn|fall|winter|annual|charity|christmas|easter|holiday|midsummer'.split('|'));
/** `u` is a capitalised edition or event word that no name list has (after `prev` with one space, when given). */
function editionWord(u: Tok | undefined, prev?: Tok, text?: string): boolean {
  if (u === undefined || u.shape !== Shape.Cap || !EDITION_WORDS.has(u.low) || (flagsOf(u.key) & (G | S))) return false;
  return prev === undefined || text === undefined || gapIsSpace(text, prev.e, u.s);
}
const seasonBefore = (c: Ctx, k: number) => {
  const p = c.toks[k - 1];
  return p !== undefined && p.shape === Shape.Cap && SEASON_WORDS.has(p.low) && gapIsSpace(c.text, p.e, c.toks[k]!.s);
};

/** The gap after a field value ends the field: a line break, a cell bar, a tab or aligned columns (two spaces). */
const NL_BETWEEN = (text: string, a: number, b: number) => {
  for (let i = a; i < b && i - a < 8; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || ch === 13 || ch === 124 || ch === 9 || (ch === 32 && text.charCodeAt(i + 1) === 32)) return true;
  }
  return false;
};
function markValue(c: Ctx, k: number, limit: number, allowLower: boolean, requireLex: boolean, max = 4, wholeField = false, needPlain = false): number {
  const { toks, text, mark } = c;
  let n = 0;
  let lex = 0;
  let plain = 0;
  while (k < toks.length && toks[k]!.s < limit && (fl(toks[k]!) & T)) k++;
  let j = k;
  while (j < toks.length && toks[j]!.s < limit && n < max) {
    const t = toks[j]!;
    if (j > k && !gapIsSpace(text, toks[j - 1]!.e, t.s) && !(text.slice(toks[j - 1]!.e, t.s) === ' ' )) break;
    if (fl(t) & X) break;
    if (j > k && (fl(t) & P) && t.shape === Shape.Lower && !isName(fl(t)) && toks[j + 1] && toks[j + 1]!.shape !== Shape.Lower) {
      j++;
      continue;
    }
    if (j > k && toks[k]!.shape === Shape.Lower && t.shape !== Shape.Lower) break;
    const shapeOk = t.shape === Shape.Cap || t.shape === Shape.NoCase || t.shape === Shape.Upper || t.shape === Shape.Initial ||
      (allowLower && t.shape === Shape.Lower);
    if (!shapeOk) break;
    if ((fl(t) & P) && t.shape === Shape.Lower) {
      j++;
      continue;
    }
    if ((fl(t) & W) && !isName(fl(t)) && !(wholeField && t.shape !== Shape.Lower)) break;
    if (fl(t) & T) break;
    if (isName(fl(t))) lex++;
    if (!(fl(t) & W)) plain++;
    n++;
    j++;
    if (t.poss) break;
  }
  while (j > k && (fl(toks[j - 1]!) & P) && toks[j - 1]!.shape === Shape.Lower) j--;
  // "Attending: Cardiology Team", "Defendant: Acme Widgets Inc.": the value is the name of a team or a firm
  if (j > k && orgAfter(c, j)) return 0;
  if (n === 0 || (plain === 0 && lex === 0) || (requireLex && lex === 0) || (needPlain && plain === 0)) return 0;
  if (placeValue(c, k, j, limit)) return 0;
  // "PATIENT: Nanney, Cariad": a register's "Last, First" — one word, a comma, one more capitalised word that ends the
  // field (no further comma: "Vellaby, Quorin, Ilvo" is a list, judged item by item elsewhere)
  if (n === 1 && j - k === 1 && !toks[k]!.poss && toks[k]!.shape !== Shape.Lower && text.charCodeAt(toks[k]!.e) === 44) {
    const u = toks[j];
    const after = toks[j + 1];
    if (u && u.s < limit && u.s - toks[k]!.e <= 2 && (u.shape === Shape.Cap || u.shape === Shape.NoCase || u.shape === Shape.Upper) &&
      !(fl(u) & (X | T)) && (!(fl(u) & W) || isName(fl(u))) && ((fl(u) & G) !== 0 || !PLACES.has(foldOf(u.w))) && u.gap !== 1 && (!after || after.s >= limit || NL_BETWEEN(text, u.e, after.s))) j++;
  }
  for (let q = k; q < j; q++) mark[q] = c.markAs;
  return j - k;
}

// country names (English, and a few as written at home): a closed set, the second half of "City, Country"
const COUNTRIES = new Set('afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria burkina burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey türkiye turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu venezuela vietnam yemen zambia zimbabwe usa uk uae deutschland österreich schweiz frankreich italien spanien españa italia brasil polska nederland danmark sverige norge suomi'.split(' ').map(foldName));
/**
 * "customer: Berlin, Germany", "Kunde: München": a value that is a city or a country says where the party is, not who.
 * A place that is a given name as well ("Sydney", "Paris") counts only with a second place after a comma ("Sydney,
 * Australia"); "customer: Sydney Morgan" is a person (the run is no place).
 */
function placeValue(c: Ctx, k: number, j: number, limit: number): boolean {
  const { toks, text } = c;
  if (j - k > 3) return false;
  // (the key is built only for a run whose first word opens a place: a CSV column or a sign-off calls this per row)
  const first = foldOf(toks[k]!.w);
  const opens = PLACE_FIRST.has(first) || COUNTRIES.has(first);
  const key = !opens ? '' : j - k === 1 ? first : toks.slice(k, j).map((t) => foldOf(t.w)).join(' ');
  // "Berlin, Germany": whatever the city's name is, a country after its comma makes the value an address; a second
  // word that is a given name as well ("Barrowby, Georgia", "PATIENT: Messina, Santiago") is a register's "Last, First"
  // unless a known place precedes it ("Paris, France")
  const u = toks[j];
  const place = opens && (PLACES.has(key) || COUNTRIES.has(key));
  if (u && text.charCodeAt(toks[j - 1]!.e) === 44 && u.s < limit && u.s - toks[j - 1]!.e <= 2 && !u.poss) {
    const v = foldOf(u.w);
    const g = (fl(u) & G) !== 0;
    if (COUNTRIES.has(v) && (place || (!g && !PLACES.has(v)))) return true;
    if (place && PLACES.has(v) && !g) return true;
    // "Castro, Cristina": a comma and a capitalised word that is no place is "Last, First" (the first word a surname)
    if (u.shape === Shape.Cap) return false;
  }
  if (!place) return false;
  for (let q = k; q < j; q++) if (fl(toks[q]!) & G) return false;
  return true;
}

/**
 * A cell under a header that may list anything reads as a person's name: 1-4 words, each a name or unseen (no
 * ordinary word, brand or code: "Widget Pro", "Smart Lamp", "Ruby Red" stay), one of them a name and not an ordinary word.
 */
// words that make a product line's model name ("Nimbus Max", "Aurora Pro"), some of them also given names
const MODEL_WORDS = new Set('max mini pro plus ultra lite air neo prime edge go xl xs hd se duo mega turbo nano micro'.split(' '));
function personCell(c: Ctx, k: number, limit: number): boolean {
  const { toks } = c;
  let words = 0;
  let plain = false;
  for (let q = k; q < toks.length && toks[q]!.s < limit; q++) {
    const t = toks[q]!;
    const f = fl(t);
    if (t.shape === Shape.Mixed || (f & (X | T)) || ((f & W) && !isName(f)) || MODEL_WORDS.has(t.low)) return false;
    if (++words > 4) return false;
    if (plainName(f)) plain = true;
  }
  return plain;
}

function firstTokenAtSearch(toks: Tok[], pos: number): number {
  let lo = 0;
  let hi = toks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toks[mid]!.s < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * "Reviewer:", "Tester:", "Approver:": a one-word label the lexicon does not know as a name, made of an ordinary word
 * and an agent suffix, names a role in the exchange, not a person. Surnames made that way ("Baker", "Miller") are in
 * the lexicon as names and stay speakers.
 */
const AGENT_SUFFIXES = ['er', 'r', 'or', 'ist', 'ant', 'ent'];
function roleNoun(low: string): boolean {
  if (low.length < 5 || low.indexOf(' ') !== -1 || isName(flagsOf(low))) return false;
  for (const suf of AGENT_SUFFIXES) {
    if (!low.endsWith(suf) || low.length - suf.length < 3) continue;
    const f = flagsOf(low.slice(0, low.length - suf.length));
    if ((f & W) && !isName(f)) return true;
  }
  return false;
}

// a transcript repeats its few labels on every line: what the label tests say of each is kept (bounded, cleared when full)
const LABEL_MEMO = new Map<string, string>();
/** The label in lower case when it may be a speaker's (name-shaped, no stop word or field cue), else ''. */
function speakerLabel(id: string): string {
  let label = LABEL_MEMO.get(id);
  if (label !== undefined) return label;
  label = id.toLowerCase();
  if (LABEL_STOP.has(label) || ((CUES.get(label) ?? 0) & C_FIELD) || !LABEL_SHAPE.test(id) || roleNoun(label)) label = '';
  if (LABEL_MEMO.size >= 4096) LABEL_MEMO.clear();
  LABEL_MEMO.set(id, label);
  return label;
}

/** Line structure: field labels, speaker labels, sign-offs, address blocks, CSV name columns. */
function scanLines(c: Ctx): void {
  const { text, toks } = c;
  // lines come in order: the first token at a position is found by walking on from the last one asked for
  let tp = 0;
  let tpPos = 0;
  const firstTokenAt = (ts: Tok[], at: number): number => {
    if (at < tpPos) return firstTokenAtSearch(ts, at);
    while (tp < ts.length && ts[tp]!.s < at) tp++;
    tpPos = at;
    return tp;
  };
  // opensSignoff(line, from), its first word's lower case taken from its token when that is the same plain ASCII word
  // (no copy of the word per line); a second walk on, as these positions come in order too
  let sp = 0;
  const opensSignoffAt = (line: string, from: number, lineStart: number): boolean => {
    let a = from;
    for (;;) {
      const ch = line.charCodeAt(a);
      if (ch === 62 || ch === 42 || ch === 95 || ch === 45 || ch === 32 || ch === 9) a++;
      else break;
    }
    let b = a;
    while (b < line.length && b - a <= SIGNOFF_FIRST_MAX && isLetter(line.charCodeAt(b))) b++;
    if (b === a || b - a > SIGNOFF_FIRST_MAX) return false;
    while (sp < toks.length && toks[sp]!.s < lineStart + a) sp++;
    const t = toks[sp];
    if (t && t.s === lineStart + a && t.r === lineStart + b && t.w.ascii) return SIGNOFF_FIRST.has(t.low);
    return opensSignoff(line, from);
  };
  // line shapes (labels, sign-offs, address blocks, CSV columns) are weaker evidence than a cue: not spread further
  c.markAs = 1;
  let prevLine = '';
  let prevLineStart = -1;
  let csvCols: number[] | null = null;
  let csvSep = ',';
  // the header says the rows are people (a first/last-name column, or contact details beside the name)
  let csvPeople = false;
  let pos = 0;
  let labels: Map<string, number> | null = null;
  // the speaker labels found, by line: label, its spelling, its first token, where it ends (arrays, no record per line)
  const fLabel: string[] = [];
  const fId: string[] = [];
  const fK: number[] = [];
  const fLimit: number[] = [];
  let prevSignoff = false;
  let prevNameLine = false;
  let prevAddrLabel = false;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const line = text.slice(pos, nl);
    // the trimmed line's bounds, without a copy (the string is made only for a line that may be a sign-off)
    let ta = 0;
    let tb = line.length;
    while (ta < tb && isSpace(line.charCodeAt(ta))) ta++;
    while (tb > ta && isSpace(line.charCodeAt(tb - 1))) tb--;
    const tlen = tb - ta;
    if (tlen > 0 && tlen < 2000) {
      // the characters the tests below ask about, found in one pass over the line instead of a search each
      let iTab = -1, iSemi = -1, iComma = -1, iColon = -1, iFwColon = -1, iAt = -1, iDigit = -1, dash = false;
      for (let q = 0; q < line.length; q++) {
        const k = LINE_CH[line.charCodeAt(q)]!;
        if (k === 0) continue;
        if (k === 1) { if (iTab === -1) iTab = q; }
        else if (k === 2) { if (iSemi === -1) iSemi = q; }
        else if (k === 3) { if (iComma === -1) iComma = q; }
        else if (k === 4) { if (iColon === -1) iColon = q; }
        else if (k === 5) { if (iFwColon === -1) iFwColon = q; }
        else if (k === 6) { if (iAt === -1) iAt = q; }
        else if (k === 7) { if (iDigit === -1) iDigit = q; }
        else dash = true;
      }
      // CSV: a header row names the columns; the rows below have names there
      const sep = iTab !== -1 ? '\t' : iSemi !== -1 && iComma === -1 ? ';' : ',';
      // (cells walked by index, no array per line)
      const firstSep = sep === '\t' ? iTab : sep === ';' ? iSemi : iComma;
      let nCells = 0;
      if (firstSep !== -1) {
        nCells = 1;
        for (let q = firstSep; q !== -1 && nCells <= 64; q = line.indexOf(sep, q + 1)) nCells++;
      }
      if (nCells >= 2 && nCells <= 64) {
        // a header row: short cells without digits or @, one of them a name field
        let cols: number[] = [];
        let personHeader = false;
        if (!csvCols && line.length < 64 * 40 && iAt === -1 && (iDigit === -1 || !/\d{3}/.test(line))) {
          for (let idx = 0, a = 0; a <= line.length; idx++) {
            let b = line.indexOf(sep, a);
            if (b === -1) b = line.length;
            if (b - a >= 40) {
              cols = [];
              break;
            }
            const cell = line.slice(a, b).trim().replace(/^["']|["']$/g, '');
            if (b - a > 1 && NAME_HEADER.test(cell)) {
              cols.push(idx);
              if (!GENERIC_HEADER.test(cell)) personHeader = true;
            } else if (b - a > 1 && PERSON_COLUMN.test(cell)) personHeader = true;
            a = b + 1;
          }
        }
        if (cols.length > 0) {
          csvCols = cols;
          csvSep = sep;
          csvPeople = personHeader;
        } else if (csvCols && sep === csvSep) {
          for (let idx = 0, a = 0; a <= line.length; idx++) {
            let b = line.indexOf(sep, a);
            if (b === -1) b = line.length;
            if (csvCols.includes(idx) && ((iAt === -1 && iDigit === -1) || !/[@\d]/.test(line.slice(a, b)))) {
              const k0 = firstTokenAt(toks, pos + a);
              if (csvPeople || personCell(c, k0, pos + b)) markValue(c, k0, pos + b, true, false, 4, true);
            }
            a = b + 1;
          }
        } else csvCols = null;
      } else csvCols = null;
      // speaker label: "Alice: who are you?", "[10:02] bob: hi", "- Marie Curie: ..."
      let ll = (iColon !== -1 && iColon < 64) || iFwColon !== -1 ? labelLine(line) : 0;
      if (ll === -1) {
        const lm = LABEL_LINE.exec(line);
        ll = lm ? 1 : 0;
        if (lm) {
          LL_A = lm[1]!.length;
          LL_B = LL_A + lm[2]!.length;
          LL_END = lm[0].length;
        }
      }
      // the label is name-shaped (every word capitalised, or every word lower case) and speech follows, not code or a value
      // (a one-word label is its token's spelling, kept in the table of words: no copy per line)
      const lk = ll === 1 ? firstTokenAt(toks, pos + LL_A) : 0;
      const lt = toks[lk];
      const id = ll !== 1 ? '' : lt !== undefined && lt.s === pos + LL_A && lt.r === pos + LL_B && lt.w !== LONG_WORD ? lt.w.raw : line.slice(LL_A, LL_B);
      const label = ll === 1 ? speakerLabel(id) : '';
      if (label !== '' && speechAt(line, LL_END) && !endsOpen(line)) {
        fLabel.push(label);
        fId.push(id);
        fK.push(lk);
        fLimit.push(pos + LL_B);
        labels ??= new Map();
        labels.set(label, (labels.get(label) ?? 0) + 1);
      }
      // sign-off on the line before, or "Regards, Alice" on one line (each line tested once)
      const short = tlen <= 60;
      const opensSO = opensSignoffAt(line, ta, pos);
      const isSignoff = tlen <= 48 && opensSO && signoffLine(line.slice(ta, tb));
      if (prevSignoff && short) markValue(c, firstTokenAt(toks, pos), nl, false, false, 4, true);
      if (nl - pos <= 80 && !isSignoff) {
        const so = opensSO && (iComma !== -1 || dash) ? SIGNOFF_INLINE.exec(line) : null;
        if (so && isSignoffText(so[1]!.trim())) markValue(c, firstTokenAt(toks, pos + so[0].length), nl, false, false);
      }
      if (!isSignoff && iComma !== -1 && tlen > 12) tailSignoff(c, line, pos, ta, tb);
      // address block: a name line right above a street or postcode line, or right below an address label
      const hasDigit = iDigit !== -1;
      if (hasDigit && prevLineStart >= 0 && prevNameLine && (ADDRESS_LINE.test(line) || POSTCODE_LINE.test(line))) {
        markValue(c, firstTokenAt(toks, prevLineStart), prevLineStart + prevLine.length, false, false, 4, true);
      }
      // (on a line that goes on with the street, "Eleonora Rossi Via Roma 12", up to the first digit and no ordinary word)
      if (prevAddrLabel && short && iAt === -1) {
        const d = iDigit;
        markValue(c, firstTokenAt(toks, pos), d === -1 ? nl : pos + d, false, false, 4, !hasDigit);
      }
      prevSignoff = isSignoff;
      prevNameLine = short && !hasDigit && iAt === -1;
      const lastCh = line.charCodeAt(tb - 1);
      prevAddrLabel = tlen <= 48 && (lastCh === 58 || lastCh === 0xff1a) && ADDRESS_LABEL.test(line);
      prevLine = line;
      prevLineStart = pos;
    } else if (tlen === 0) {
      csvCols = null;
    }
    pos = nl + 1;
  }
  // speaker labels: a known name is one; so is any name-shaped label of a transcript (two or more speakers, one of
  // them a known name or a label that recurs)
  if (fLabel.length === 0 || !labels) return;
  const known = new Set<string>();
  const judged = new Set<string>();
  // "Xiomara Alcalde: ..." / "Anu Puranen: ...": two capitalised words as a label are a full name
  const fullName = (label: string) => /^\p{Lu}[\p{Ll}\p{M}'’-]+(?:\s\p{Lu}[\p{Ll}\p{M}'’-]+){1,2}$/u.test(label);
  for (let i = 0; i < fLabel.length; i++) {
    // each distinct label once (its spelling in the text may differ only in case)
    const id = fId[i]!;
    if (judged.has(id)) continue;
    judged.add(id);
    let lex = false;
    for (let q = fK[i]!; q < toks.length && toks[q]!.s < fLimit[i]!; q++) if (labels.size >= 2 ? isName(fl(toks[q]!)) : plainName(fl(toks[q]!))) lex = true;
    if (lex || fullName(id)) known.add(fLabel[i]!);
  }
  const transcript = labels.size >= 2 && (known.size > 0 || [...labels.values()].some((n) => n >= 2));
  for (let i = 0; i < fLabel.length; i++) {
    if (known.has(fLabel[i]!)) markValue(c, fK[i]!, fLimit[i]!, true, false, 3, true);
    else if (transcript) markValue(c, fK[i]!, fLimit[i]!, false, false, 3);
  }
}

/** Cues that make the next words a name even in lower case or when unseen: titles, introductions, labels, kinship. */
function scanCues(c: Ctx): void {
  const { text, toks } = c;
  for (let k = 1; k < toks.length; k++) {
    const t = toks[k]!;
    const sh = t.shape;
    if (sh !== Shape.Lower && sh !== Shape.Cap && sh !== Shape.NoCase && sh !== Shape.Upper) continue;
    // quick reject: every cue phrase ends in a cue word
    if (!(toks[k - 1]!.m & M_CUE_LAST) && !t.poss) continue;
    if (fl(t) & (X | T)) continue;
    const cue = cueBefore(c, k);
    if (cue === 0 && !t.poss) continue;
    // "Name: Xiomara Dam", "my name is leonti": the value, whatever the lexicon says
    if (cue & (C_NAMED | C_FIELD)) {
      // "my name is leonti": the value whatever the lexicon says; "name: pagerduty" (YAML): a lower-case value needs a known name
      const lowerOk = (cue & C_NAMED) !== 0 || isName(fl(t));
      // "Name: Blue Ocean" (a project, a product): under a label that names anything, some word must be no ordinary word
      if (sh !== Shape.Lower) markValue(c, k, text.length, true, false, 4, true, !(cue & C_NAMED) && genericLabel(toks, k));
      else if (lowerOk && (!(fl(t) & W) || isName(fl(t)))) markValue(c, k, text.length, true, !(cue & C_NAMED), 3);
      continue;
    }
    if (c.mark[k] || (fl(t) & W) || sh === Shape.Cap || sh === Shape.Upper) continue;
    // "hey zbyszko, can u…", "thanks zbyszko!": a greeting opening the message, then a word no list knows, then the
    // message goes on as chat does (punctuation, a line end, "can", "pls", "u")
    if (fl(t) === 0 && sh === Shape.Lower && (cue & C_GREET) && t.e - t.s >= 3 && !t.poss &&
      (sentenceStart(text, toks[k - 1]!.s) || (k > 1 && sentenceStart(text, toks[k - 2]!.s))) && GREET_AFTER.test(text.slice(t.r, t.r + 12))) {
      c.mark[k] = 1;
      continue;
    }
    if (!isName(fl(t))) continue;
    if ((cue & (C_INTRO | C_KIN | C_GREET | C_TITLE)) || t.poss || EMAIL_AFTER.test(text.slice(t.e, t.e + 72))) markValue(c, k, text.length, true, true, 3);
    else if ((fl(t) & G) && t.e - t.s >= 4 && (cue & C_LOWVERB)) markValue(c, k, text.length, true, true, 2);
  }
}

// Lower-case chat: "hey john, ask maria smith", "cc anna kowalski", "lol helmuth hauer just called". A given name then a
// surname, both from the lexicon, is a name in lower case only in a slot people fill: after a chat cue (a greeting, a
// verb that takes a person, "cc", "with", "from", an introduction), after "@", or before a reporting verb. Words that
// are ordinary as well ("will", "mark", "rose", "may") may be one half, never both ("will mark", "may rose" stay).
const LOWER_PAIR_CUES = new Set(("hey|hi|hello|hiya|yo|dear|thanks|thx|ty|cheers|ask|asked|tell|told|cc|bcc|with|from|ping|pinged|call|called|" +
  "text|texted|email|emailed|message|messaged|meet|met|invite|invited|remind|reminded|thank|thanked|visit|visited|saw|see|hug|its|it's|" +
  "im|i'm|am|named|attn|fyi|contact|contacted|add|added|hire|hired|married|dm|dmed|via|per|for").split('|'));
/**
 * "hey its lesia again", "it's marceline here", "hi im zeynep, ...": a chat message that opens (perhaps after a greeting)
 * with "it's" / "i'm" introduces its writer. The next word or two are the name when the lexicon knows them as names and
 * not as ordinary words, or when they are unseen and the message goes on as chat does right after (punctuation, a line
 * end, "again", "here").
 */
function chatIntro(c: Ctx, k: number): void {
  const { text, toks, mark } = c;
  const t = toks[k]!;
  if (t.gap !== 0 || k + 1 >= toks.length) return;
  const opens = sentenceStart(text, t.s) || (k > 0 && ((toks[k - 1]!.m & C_GREET) !== 0) && toks[k - 1]!.shape === Shape.Lower && sentenceStart(text, toks[k - 1]!.s));
  if (!opens) return;
  const nameHere = (q: number) => {
    const v = toks[q];
    if (!v || v.shape !== Shape.Lower || v.poss || mark[q]) return false;
    const f = fl(v);
    if (f & (X | T | P)) return false;
    if (plainName(f)) return true;
    return f === 0 && v.e - v.s >= 3 && !CHAT_WORDS.has(v.low) && CHAT_INTRO_AFTER.test(text.slice(v.r, v.r + 12));
  };
  if (!nameHere(k + 1)) return;
  mark[k + 1] = 1;
  if (toks[k + 1]!.gap === 0 && nameHere(k + 2)) mark[k + 2] = 1;
}
const CHAT_INTRO_WORDS = new Set(["its", "it's", 'im', "i'm"]);
const CHAT_INTRO_AFTER = /^(?:[ \t]?[,!.?;:)]|[ \t]*$|[ \t]*\r?\n|\s(?:again|here|speaking|calling|from|lol|btw|pls|plz)\b)/;

// chat shorthand no word list holds: never an unseen surname
const CHAT_WORDS = new Set('pls plz thx tmrw tmr idk btw omg asap rn np lol lmao rofl brb ttyl imo imho fyi afaik tbh ngl smh'.split(' '));
const LOWER_PAIR_ADVERB = /^\s(?:just|also|already|finally|never|still|again|literally|actually)(?=\s)/;
// the first words of VERB_AFTER's phrases and the adverbs above, a superset (the regex decides): a bit on the word, so
// the slot after costs no slice where no such word follows
const VERB_WORDS = new Set([...VERB_AFTER.source.slice(VERB_AFTER.source.indexOf('(?:said') + 3, VERB_AFTER.source.lastIndexOf(')\\b')).split('|')
  .map((x) => x.split('\\s')[0]!).filter((x) => /^\p{L}+$/u.test(x)),
  'just', 'also', 'already', 'finally', 'never', 'still', 'again', 'literally', 'actually']);

function scanLowerPairs(c: Ctx): void {
  const { text, toks, mark } = c;
  for (let k = 0; k + 1 < toks.length; k++) {
    const t = toks[k]!;
    if (t.m & M_CHAT_INTRO) chatIntro(c, k);
    if (t.shape !== Shape.Lower || t.gap !== 0 || t.poss || mark[k]) continue;
    const u = toks[k + 1]!;
    if (u.shape !== Shape.Lower || mark[k + 1]) continue;
    // the slot first, from the cue bits and two letters after (most lower-case words never need their flags)
    // "@maria smith": the handle reads as code; its spelling still says what it is
    const at = t.s > 0 && text.charCodeAt(t.s - 1) === 64;
    const cueBefore = !at && k > 0 && (toks[k - 1]!.m & M_PAIR_CUE) !== 0;
    if (!at && !cueBefore && !(k + 2 < toks.length && u.gap <= 1 && (toks[k + 2]!.m & M_VERB))) continue;
    const ft = at ? flagsOf(t.key) : fl(t);
    if (!(ft & G) || (ft & (X | T))) continue;
    const fu = fl(u);
    if (fu & (X | T | P)) continue;
    // the surname from the lexicon, or unseen after a given name that is no ordinary word ("nicola gelso")
    const unseenSur = fu === 0 && plainName(ft) && u.e - u.s >= 3 && !CHAT_WORDS.has(u.low);
    if (!(fu & S) && !unseenSur) continue;
    if (!plainName(ft) && !plainName(fu) && !unseenSur) continue;
    if (t.e - t.s < 2 || u.e - u.s < 2) continue;
    let slot = at;
    if (!slot && cueBefore) {
      const p = toks[k - 1]!;
      const gap = t.s - p.r;
      slot = gap === 1 || (gap <= 3 && (text.charCodeAt(p.r) === 44 || text.charCodeAt(p.r) === 58));
    }
    if (!slot) {
      const post = text.slice(u.r, u.r + 56);
      const adv = LOWER_PAIR_ADVERB.exec(post);
      slot = VERB_AFTER.test(adv ? post.slice(adv[0].length) : post);
    }
    if (!slot) continue;
    mark[k] = 1;
    mark[k + 1] = 1;
    k++;
  }
}

const GREET_AFTER = /^(?:[ \t]?[,!.?;:)]|[ \t]*$|[ \t]*\r?\n|\s(?:can|could|would|will|are|pls|plz|please|u|you|r|how|what|do|did|is|thanks|thx|lol)\b)/;
const CONJ = new Set(['and', 'or', 'und', 'et', 'y', 'e', 'i', 'og', 'och', 'en', 'ja', 'és', 've', 'и', 'та', 'και', 'và', 'a', 'oder', 'ou', 'o']);
const LIST_SEP = /^\s?[,;/]\s{0,2}$/;

/** "they had 6: leonti, terrence, pamela": a list of single words most of which are known names. */
function scanLists(c: Ctx): void {
  const { text, toks, mark } = c;
  const items: number[] = [];
  let k = 0;
  while (k < toks.length) {
    const t0 = toks[k]!;
    // fast path: most words are followed by a space and a word that is no conjunction
    if (t0.gap === 2 || (t0.gap === 0 && (k + 1 >= toks.length || !(toks[k + 1]!.m & M_CONJ)))) {
      k++;
      continue;
    }
    items.length = 0;
    items.push(k);
    let j = k;
    let conj = false;
    while (items.length < 64) {
      const cur = toks[j]!;
      const nx = j + 1;
      if (nx >= toks.length || cur.gap === 2) break;
      const isConj = (toks[nx]!.m & M_CONJ) !== 0;
      if (cur.gap === 1 && !isConj) {
        items.push(nx);
        j = nx;
        continue;
      }
      // ", and pamela" / " and pamela"
      if (isConj && (cur.gap === 0 || text.charCodeAt(cur.r) === 44) && nx + 1 < toks.length && toks[nx]!.gap === 0) {
        conj = true;
        items.push(nx + 1);
        j = nx + 1;
        continue;
      }
      break;
    }
    if (items.length >= 3 || (items.length === 2 && conj)) judgeList(c, items);
    k = j + 1;
  }
}

function judgeList(c: Ctx, items: number[]): void {
  const { text, toks, mark } = c;
  // items are single words: "Morgan Stanley and Johnson" is not a list of names
  const capNeighbour = (t: Tok | undefined) => t !== undefined && t.shape === Shape.Cap && !CONJ.has(t.low);
  for (const q of items) {
    const t = toks[q]!;
    const p = toks[q - 1];
    if ((p && p.gap === 0 && capNeighbour(p)) || (t.gap === 0 && capNeighbour(toks[q + 1]))) return;
    // (/^\s?&/ after the word, /&\s?$/ between the word before and this one, read by character)
    const a0 = text.charCodeAt(t.r);
    if (a0 === 38 || (isSpace(a0) && text.charCodeAt(t.r + 1) === 38)) return;
    if (p && t.s > p.r) {
      const b1 = text.charCodeAt(t.s - 1);
      if (b1 === 38 || (isSpace(b1) && t.s - 2 >= p.r && text.charCodeAt(t.s - 2) === 38)) return;
    }
  }
  // known names, ordinary words and unseen words; "and me", "and you" are no evidence either way
  let names = 0;
  let words = 0;
  let counted = 0;
  let nonPlaces = 0;
  for (const q of items) {
    const t = toks[q]!;
    if (LIST_PRONOUNS.has(t.low)) continue;
    counted++;
    if (plainName(fl(t)) && t.shape !== Shape.Upper) {
      names++;
      if (!PLACES.has(foldOf(t.w))) nonPlaces++;
    }
    else if (((fl(t) & W) && !isName(fl(t))) || (fl(t) & (X | T))) words++;
  }
  // a list right after "kids:", "invited", "attendees:": one known name and no ordinary word make it a list of names
  const p0 = toks[items[0]! - 1];
  const cued = p0 !== undefined && LIST_CUES.has(p0.low) && LIST_CUE_GAP.test(text.slice(p0.r, toks[items[0]!]!.s));
  // (after a cue the one known name must be no city: "attendees: backend, frontend, Paris, London")
  if (!(cued && nonPlaces >= 1 && words === 0) && (names < 2 || names * 10 < counted * 6)) return;
  for (const q of items) {
    const t = toks[q]!;
    if ((isName(fl(t)) || !(fl(t) & (W | X | T))) && !LIST_PRONOUNS.has(t.low) && (t.shape === Shape.Lower || t.shape === Shape.Cap || t.shape === Shape.NoCase)) mark[q] = 1;
  }
}
const LIST_PRONOUNS = new Set('me|i|myself|you|us|him|her|them|everyone|ich|mich|moi|yo|io|mnie|ja|jag|mig|meg'.split('|'));
const LIST_CUE_GAP = /^\s?[:：]?\s{1,2}$/;
const LIST_CUES = new Set(('names|kids|children|sons|daughters|grandkids|grandchildren|siblings|brothers|sisters|parents|cousins|friends|' +
  'roommates|colleagues|teammates|invited|invitees|attendees|attending|participants|guests|members|players|speakers|authors|students|' +
  'pupils|employees|staff|people|cc|namen|kinder|gäste|teilnehmer|teilnehmende|noms|enfants|invités|nombres|hijos|invitados|participantes|' +
  'nomi|figli|ospiti|partecipanti|namn|barn|gäster|deltagare|imiona|dzieci|goście|uczestnicy|имена|дети|гости|участники').split('|'));


// --- lists of full names: "Attendees: J. Doe, Marta Kowalczyk, Zorvan Eltrin", "Anna Berg, Ivo Marant and Kofi Mensah" ---
// Cue words before a colon that open a list of people (the last word of the label: "Also present:", "In attendance:").
const NAME_LIST_CUES = new Set([...LIST_CUES, ...('attendee|present|presents|attendance|apologies|absent|excused|absentees|invitees|' +
  'participant|reviewers|approvers|assignees|owners|maintainers|contributors|signatories|witnesses|panelists|panellists|' +
  'presenters|organizers|organisers|hosts|moderators|recipients|chairs|to|bcc|anwesend|anwesende|abwesend|entschuldigt|' +
  'présents|présentes|absents|excusés|excusées|participants|presentes|ausentes|asistentes|asistieron|presenti|assenti|' +
  'aanwezig|aanwezigen|afwezig|deelnemers|närvarande|deltagere|deltakere|tilstede|osallistujat|läsnä|katılımcılar|' +
  'obecni|nieobecni|přítomni|účastníci|jelen|jelenlévők|resztvevők|присутствуют|присутствовали|отсутствуют|παρόντες|συμμετέχοντες|' +
  'الحضور|الحاضرون|الحاضرين|المشاركون|المشاركين|حاضرین|حاضران').split('|')]);
const NAME_LIST_CUE_GAP = /^\s?[:：]\s{0,2}(?:\r?\n\s{0,4}(?:(?:[-*•]|\d{1,2}[.)])\s{1,2})?)?$/;
// the cue ends its line and a bulleted item opens the next: one item per line
const BULLET_GAP = /^[ \t]*\r?\n[ \t]{0,4}(?:[-*•]|\d{1,2}[.)])[ \t]{1,2}$/;
const NL_MAX_RUN = 8;
const NL_MAX_ITEMS = 64;
/** Where the list goes on after a word that ends at `p` (its raw end): the next item's first token, or -1. */
function listSepAfter(c: Ctx, p: number, k: number, bullets = false): number {
  const { text, toks } = c;
  if (bullets) {
    const nx = toks[k];
    return nx && nx.s - p <= 12 && BULLET_GAP.test(text.slice(p, nx.s)) ? k : -1;
  }
  // a short role or an address in brackets after a name: "Anna Berg (PM), Ivo Marant <ivo@example.org>"
  const o = text.charCodeAt(p) === 32 ? p + 1 : p;
  const oc = text.charCodeAt(o);
  if (oc === 40 || oc === 60) {
    const close = oc === 40 ? 41 : 62;
    let q = o + 1;
    while (q < text.length && q - o < 64 && text.charCodeAt(q) !== close && text.charCodeAt(q) !== 10) q++;
    if (text.charCodeAt(q) !== close) return -1;
    p = q + 1;
    while (k < toks.length && toks[k]!.s < p) k++;
  }
  const nx = toks[k];
  if (!nx) return -1;
  let i = p;
  if (text.charCodeAt(i) === 32) i++;
  const d = text.charCodeAt(i);
  const sep = d === 44 || d === 59 || d === 47 || d === 0x3001 || d === 0xff0c || d === 0x60c;
  if (sep) i++;
  let sp = 0;
  while (i < nx.s && sp < 3 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 160)) {
    i++;
    sp++;
  }
  if (i !== nx.s) return -1;
  // ", and Kofi Mensah", " und Lutz Brenneke", " et Bastien Roux"
  if ((nx.m & M_CONJ) && nx.shape === Shape.Lower && nx.gap === 0 && k + 1 < toks.length) return k + 1;
  return sep ? k : -1;
}

/**
 * A list of full names: items of one to four capitalised words (initials and particles allowed: "J. Doe", "Marta van
 * der Heijden"), separated by commas, semicolons or "and" in several languages. After a list cue ("Attendees:",
 * "Teilnehmer:", "Présents :") the items shaped like names are names when one of them is a known one; with no cue, two
 * items found by other evidence make the others of the same shape names too. An item with an ordinary word, a brand, a
 * place or a company suffix after it is no name, and keeps a list without a cue from counting.
 */
function scanNameLists(c: Ctx): void {
  const { text, toks } = c;
  const starts: number[] = [];
  const ends: number[] = [];
  let k = 0;
  while (k < toks.length) {
    const t = toks[k]!;
    if (!listItemStart(t)) {
      k++;
      continue;
    }
    const p0 = toks[k - 1];
    const cueWord = p0 !== undefined && NAME_LIST_CUES.has(p0.low);
    // (most runs end in something no list goes on after: "Alice: hi", "Regards,\n"; only a separator, a bracket or a
    // space before "and" may)
    if (!cueWord && t.gap === 2 && t.shape !== Shape.Initial && !listMayGoOn(text.charCodeAt(t.r))) {
      k++;
      continue;
    }
    let b = listRunEnd(c, k);
    if (b - k > NL_MAX_RUN) {
      k = b;
      continue;
    }
    const cueGap = cueWord ? text.slice(p0!.r, t.s) : '';
    const cued = cueGap !== '' && NAME_LIST_CUE_GAP.test(cueGap);
    if (!cued) {
      const last = toks[b - 1]!;
      if (last.gap === 2 && !listMayGoOn(text.charCodeAt(last.r))) {
        k = b;
        continue;
      }
    }
    const bullets = cued && /[-*•.)][ \t]{1,2}$/.test(cueGap);
    let next = listSepAfter(c, toks[b - 1]!.r, b, bullets);
    // (most runs: no separator after, or none before another capitalised word: "John Doe,x")
    if (!cued && (next === -1 || !listItemStart(toks[next]!))) {
      k = b;
      continue;
    }
    starts.length = 0;
    ends.length = 0;
    starts.push(k);
    ends.push(b);
    while (next !== -1 && starts.length < NL_MAX_ITEMS && listItemStart(toks[next]!)) {
      const a = next;
      b = listRunEnd(c, a);
      if (b - a > NL_MAX_RUN) break;
      starts.push(a);
      ends.push(b);
      next = listSepAfter(c, toks[b - 1]!.r, b, bullets);
    }
    judgeNameList(c, starts, ends, cued);
    k = ends[ends.length - 1]!;
  }
}
/** A list may go on after a word followed by this (a gap that is not a list separator): a bracket, a space, 、，، */
const listMayGoOn = (ch: number) => ch === 40 || ch === 60 || ch === 32 || ch === 0x3001 || ch === 0xff0c || ch === 0x60c;
const listItemStart = (t: Tok) => (t.shape === Shape.Cap || t.shape === Shape.Initial || t.shape === Shape.NoCase || t.shape === Shape.Upper) && !(fl(t) & X);
/** The end of a run of capitalised words, initials ("J. Doe") and particles from token a, joined by single spaces. */
function listRunEnd(c: Ctx, a: number): number {
  const { text, toks } = c;
  let b = a + 1;
  while (b < toks.length && b - a <= NL_MAX_RUN) {
    const p = toks[b - 1]!;
    const t = toks[b]!;
    if (p.poss) break;
    const joined = gapIsSpace(text, p.e, t.s) || (p.shape === Shape.Initial && t.s - p.e === 2 && text.charCodeAt(p.e) === 46 && text.charCodeAt(p.e + 1) === 32);
    if (!joined) break;
    if (t.shape === Shape.Lower) {
      // a particle inside: the word after it must go on with the name
      if (!(PARTICLE_WORDS.has(t.low) && (fl(t) & P))) break;
      const u = toks[b + 1];
      if (!u || u.shape === Shape.Lower && !(PARTICLE_WORDS.has(u.low) && (fl(u) & P)) || !gapIsSpace(text, t.e, u.s)) break;
    } else if (!listItemStart(t)) break;
    b++;
  }
  return b;
}

const enum Item { No = 0, Shaped = 1, Known = 2, Found = 3 }
/** What an item says: no name, name-shaped, with a known name in it, or found already by other evidence. */
function listItem(c: Ctx, a: number, b: number): Item {
  const { text, toks, mark } = c;
  let core = 0;
  let words = 0;
  let known = false;
  let found = true;
  while (a < b && (fl(toks[a]!) & T)) a++;
  for (let q = a; q < b; q++) {
    const t = toks[q]!;
    const f = fl(t);
    if (t.shape === Shape.Lower) continue; // a particle (listRunEnd let only those in)
    if (f & (X | T)) return Item.No;
    core++;
    if (t.shape === Shape.Initial) continue;
    words++;
    if (!mark[q]) found = false;
    // an ordinary word is no name, but after an initial it is a surname ("J. Doe")
    if ((f & W) && !isName(f) && !(q > a && toks[q - 1]!.shape === Shape.Initial)) return Item.No;
    if (plainName(f) && t.shape !== Shape.Upper) known = true;
  }
  if (words === 0 || core > 4) return Item.No;
  if (words === 1 && !(core === 2)) {
    // one word alone: a known name that is no ordinary word, no place
    const t = toks[b - 1]!;
    if (!plainName(fl(t)) || t.shape === Shape.Upper || PLACES.has(foldOf(t.w))) return found ? Item.Found : Item.No;
  }
  if (toks[a]!.shape === Shape.Upper && !known) return Item.No;
  const key = toks.slice(a, b).map((t) => foldOf(t.w)).join(' ').replace(/'/g, '');
  if (PLACES.has(key) || EPONYMS.has(key)) return Item.No;
  const end = toks[b - 1]!.e;
  const nx = nextWordPrefix(text, end);
  if ((gatesOf(nx) & G_COMPANY) !== 0 && COMPANY_AFTER.test(text.slice(end, end + 48))) return Item.No;
  return found ? Item.Found : known ? Item.Known : Item.Shaped;
}

function judgeNameList(c: Ctx, starts: number[], ends: number[], cued: boolean): void {
  const { toks, mark } = c;
  const n = starts.length;
  if (n === 1 && !cued) return;
  const kinds: Item[] = [];
  let shaped = 0;
  let known = 0;
  let found = 0;
  for (let i = 0; i < n; i++) {
    let a = starts[i]!;
    // the first item of a list without a cue may open with an ordinary word ("Yesterday Anna Berg, ...")
    if (i === 0 && !cued) while (a < ends[i]! - 1 && (fl(toks[a]!) & W) && !isName(fl(toks[a]!))) a++;
    starts[i] = a;
    const kind = listItem(c, a, ends[i]!);
    kinds.push(kind);
    if (kind !== Item.No) shaped++;
    if (kind >= Item.Known) known++;
    if (kind === Item.Found) found++;
  }
  if (cued) {
    // after "Attendees:": most items name-shaped, one of them a known name (one item alone: two words, unseen allowed)
    if (n === 1 ? kinds[0] === Item.No || ends[0]! - starts[0]! < 2 : known === 0 || shaped * 3 < n * 2) return;
  } else if (found < 2 || shaped < n || found * 2 < n) return;
  for (let i = 0; i < n; i++) {
    if (kinds[i] === Item.No) continue;
    for (let q = starts[i]!; q < ends[i]!; q++) {
      const t = toks[q]!;
      if (!(fl(t) & T) && !mark[q] && !(t.shape === Shape.Lower)) mark[q] = 1;
    }
  }
}

// --- role labels whose value is a whole line: "Manager: Zorvan Eltrin", "Reviewer: Ilse Brandvold (HR)" ---
// Roles that also label speech in a transcript ("Interviewer: So tell me…"): the value counts only when it is all the
// line holds (a name, perhaps a bracket, an address or a comma after it), never the first words of a sentence.
const ROLE_LINE_LABELS = new Set(('manager|reviewer|reviewers|supervisor|interviewer|interviewee|mentor|mentee|coach|therapist|counselor|' +
  'counsellor|approver|recruiter|evaluator|appraiser|appraisee|lead|team lead|tech lead|hr partner|hr business partner|hr contact|' +
  'reports to|direct report|employee|staff member|doctor|consultant|specialist|referring doctor|gp|caseworker|case manager|' +
  'social worker|officer|investigator|interpreter|translator|vorgesetzter|vorgesetzte|führungskraft|betreuer|betreuerin|' +
  'responsable|encargado|encargada|jefe|jefa|responsabile|leidinggevende|begeleider').split('|'));
const ROLE_LINE_LAST = new Set([...ROLE_LINE_LABELS].map((l) => l.slice(l.lastIndexOf(' ') + 1)));
function scanRoleLines(c: Ctx): void {
  const { text, toks, mark } = c;
  let pos = 0;
  // the token at or after the colon, walked on line by line (lines come in order)
  let tk = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const colon = nl - pos <= 200 ? text.indexOf(':', pos) : -1;
    if (colon !== -1 && colon < nl && colon - pos <= 40) {
      while (tk < toks.length && toks[tk]!.s < colon) tk++;
      // (the word before the colon ends some role label: most lines' labels are no role, "Alice: hi")
      const w = toks[tk - 1];
      if (!w || w.s < pos || !ROLE_LINE_LAST.has(w.low)) {
        pos = nl + 1;
        continue;
      }
      let ls = pos;
      while (ls < colon && (isSpace(text.charCodeAt(ls)) || text.charCodeAt(ls) === 45 || text.charCodeAt(ls) === 42 || text.charCodeAt(ls) === 0x2022)) ls++;
      const label = text.slice(ls, colon).trim().replace(/\s+/g, ' ').toLowerCase();
      if (ROLE_LINE_LABELS.has(label)) {
        const a = tk;
        if (a < toks.length && toks[a]!.s < nl && listItemStart(toks[a]!)) {
          const b = listRunEnd(c, a);
          const end = toks[b - 1]!.r;
          let q = end;
          while (q < nl && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9 || text.charCodeAt(q) === 13)) q++;
          const ch = text.charCodeAt(q);
          const whole = q >= nl || ch === 40 || ch === 60 || ch === 44 || ch === 59;
          if (whole && b - a <= 5) {
            const kind = listItem(c, a, b);
            if (kind !== Item.No && (b - a >= 2 || kind >= Item.Known)) for (let r = a; r < b; r++) if (!(fl(toks[r]!) & T) && toks[r]!.shape !== Shape.Lower) mark[r] = 1;
          }
        }
      }
    }
    pos = nl + 1;
  }
}

// --- Markdown tables: "| Name | Role |" over "|---|---|", the cells of a name column ---
// headers of a column that holds people in a table (beside NAME_HEADER), and columns only a table of people has
const TABLE_PEOPLE_HEADER = /^(?:attendees?|participants?|reviewers?|approvers?|assignees?|owners?|authors?|speakers?|presenters?|hosts?|members?|employees?|staff|patients?|tenants?|landlords?|contacts?|managers?|leads?|chairs?|physicians?|doctors?|nurses?|students?|instructors?|teachers?|signatory|signatories|party|parties|witness|witnesses|responsible|teilnehmer(?:in)?|mitarbeiter(?:in)?|verantwortlich|ansprechpartner(?:in)?|participante|responsable|deelnemer|eigenaar|contactpersoon|partecipante|responsabile|负责人|負責人|参会人|参会人员|出席者|担当者|担当|參與者|المشارك|الحضور)$/iu;
const TABLE_PERSON_COLUMN = /^(?:role|position|job|rolle|funktion|rôle|fonction|cargo|puesto|ruolo|functie|signature|initials|ext|extension|hire[\s_-]?date|start[\s_-]?date|职位|職位|役職)$/iu;
const TABLE_RULE = /^\|?\s{0,3}:?-{1,64}:?\s{0,3}(?:\|\s{0,3}:?-{1,64}:?\s{0,3})+\|?$/;
const TABLE_MAX_LINE = 4000;
/** The cells of a table line: [start, end) pairs relative to the line, the outer bars dropped (none when it has no inner bar). */
function tableCells(line: string, cells: number[]): void {
  cells.length = 0;
  let a = 0;
  let b = line.length;
  while (a < b && isSpace(line.charCodeAt(a))) a++;
  while (b > a && isSpace(line.charCodeAt(b - 1))) b--;
  if (line.charCodeAt(a) === 124) a++;
  if (b > a && line.charCodeAt(b - 1) === 124) b--;
  for (let q = a; q <= b && cells.length < 128; ) {
    let e = line.indexOf('|', q);
    if (e === -1 || e > b) e = b;
    cells.push(q, e);
    q = e + 1;
  }
  if (cells.length < 4) cells.length = 0;
}
const cellText = (line: string, cells: number[], i: number) => line.slice(cells[2 * i]!, cells[2 * i + 1]!).trim();

/**
 * A Markdown table whose header names a column of people ("Name", "Attendee", "Owner", "Vorname") under which the
 * cells are names: all of them when the header or a column beside it says people ("Full name", "Email", "Role"),
 * else when one cell is a known name and every cell is shaped like a name (a column of products or services stays).
 */
function scanPipeTables(c: Ctx): void {
  const { text, toks } = c;
  const cells: number[] = [];
  const saved = c.markAs;
  c.markAs = 1;
  let pos = 0;
  let header: string | null = null;
  let cols: number[] = [];
  let people = false;
  let active = false;
  // the name cells of the current table, as token ranges
  const ranges: number[] = [];
  const flush = () => {
    if (ranges.length) judgeTableColumn(c, ranges, people);
    ranges.length = 0;
    active = false;
  };
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl === -1) nl = text.length;
    const bar = nl - pos <= TABLE_MAX_LINE ? text.indexOf('|', pos) : -1;
    if (bar === -1 || bar >= nl) {
      flush();
      header = null;
      pos = nl + 1;
      continue;
    }
    const line = text.slice(pos, nl);
    tableCells(line, cells);
    // a key-value table: "| Patient | Zorvan Eltrin |"
    if (cells.length >= 4 && cells[1]! - cells[0]! <= 42) {
      const label = cellText(line, cells, 0).toLowerCase();
      if (((CUES.get(label) ?? 0) & C_FIELD) !== 0) {
        const k = firstTokenAtSearch(toks, pos + cells[2]!);
        if (k < toks.length && toks[k]!.s < pos + cells[3]!) markValue(c, k, pos + cells[3]!, false, false, 4, true, genericLabel(toks, k));
      }
    }
    if (active) {
      for (const col of cols) {
        if (2 * col + 1 >= cells.length) continue;
        const a = pos + cells[2 * col]!;
        const b = pos + cells[2 * col + 1]!;
        let k = firstTokenAtSearch(toks, a);
        // a cell may hold several names: "Anna Berg, Ivo Marant"
        while (k < toks.length && toks[k]!.s < b && ranges.length < 4096) {
          const e = Math.min(listRunEnd(c, k), firstTokenAtSearch(toks, b));
          ranges.push(k, e);
          k = e;
          while (k < toks.length && toks[k]!.s < b && !listItemStart(toks[k]!)) k++;
        }
      }
    } else if (header !== null && TABLE_RULE.test(line.trim())) {
      active = true;
    } else {
      header = null;
      cols = [];
      people = false;
      let other = false;
      for (let i = 0; 2 * i < cells.length; i++) {
        const h = cellText(line, cells, i).replace(/^[*_`]+|[*_`]+$/g, '');
        if (h.length > 40) continue;
        if (NAME_HEADER.test(h) || TABLE_PEOPLE_HEADER.test(h)) {
          cols.push(i);
          if (NAME_HEADER.test(h) && !GENERIC_HEADER.test(h)) people = true;
        } else if (PERSON_COLUMN.test(h) || TABLE_PERSON_COLUMN.test(h)) other = true;
      }
      if (cols.length > 0) {
        header = line;
        if (other) people = true;
      }
    }
    pos = nl + 1;
  }
  flush();
  c.markAs = saved;
}

function judgeTableColumn(c: Ctx, ranges: number[], people: boolean): void {
  const { toks } = c;
  if (people) {
    for (let i = 0; i < ranges.length; i += 2) markValue(c, ranges[i]!, toks[ranges[i + 1]! - 1]!.r, false, false, 4, true);
    return;
  }
  let n = 0;
  let shaped = 0;
  let known = 0;
  const kinds: Item[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    const kind = listItem(c, ranges[i]!, ranges[i + 1]!);
    kinds.push(kind);
    n++;
    if (kind !== Item.No) shaped++;
    if (kind >= Item.Known) known++;
  }
  // (every cell: a column of products or services has some cell no name could be)
  if (known === 0 || shaped < n) return;
  for (let i = 0; i < ranges.length; i += 2) {
    if (kinds[i >> 1] === Item.No) continue;
    for (let q = ranges[i]!; q < ranges[i + 1]!; q++) if (!(fl(toks[q]!) & T) && toks[q]!.shape !== Shape.Lower && !c.mark[q]) c.mark[q] = 1;
  }
}

// --- code comments: "TODO(zeltrin): …", "FIXME(Marta Kowalczyk)", "@author jdoe" ---
// The owner of a TODO and the author tag name a person by convention (a user name or a full name).
const CODE_OWNER = /\b(?:TODO|FIXME|XXX|HACK|BUG|NOTE|OPTIMIZE|REVIEW)\(([\p{L}\p{M}][\p{L}\p{M}.'’ _-]{0,38}[\p{L}\p{M}]|[\p{L}\p{M}])\)|@(?:author|maintainer|owner)[ \t]{1,3}([a-z][a-z._-]{1,38}[a-z])(?![\p{L}\p{M}\d@])/gu;
function scanCodeOwners(c: Ctx): void {
  const { text, toks, mark } = c;
  CODE_OWNER.lastIndex = 0;
  for (let m = CODE_OWNER.exec(text); m; m = CODE_OWNER.exec(text)) {
    const v = m[1] ?? m[2]!;
    const a = m.index + m[0].lastIndexOf(v);
    const b = a + v.length;
    const k0 = firstTokenAtSearch(toks, a);
    let k1 = k0;
    while (k1 < toks.length && toks[k1]!.s < b) k1++;
    if (k1 === k0 || k1 - k0 > 4) continue;
    // a full name (capitalised words, no ordinary word), or a user name with a lexicon name in it or an initial and a
    // surname ("jdoe", "mkowalczyk"); tags no list knows stay ("perf", "async", "refactor")
    let ok = true;
    let lower = false;
    for (let q = k0; q < k1 && ok; q++) {
      const t = toks[q]!;
      const f = flagsOf(t.key);
      if (t.shape === Shape.Lower) lower = true;
      else if (t.shape !== Shape.Cap && t.shape !== Shape.Initial && t.shape !== Shape.NoCase) ok = false;
      if (f & (X | T)) ok = false;
      else if ((f & W) && !isName(f)) ok = false;
    }
    if (!ok) continue;
    if (lower) {
      let person = false;
      for (let q = k0; q < k1; q++) {
        const t = toks[q]!;
        const f = flagsOf(t.key);
        const rest = t.key.length >= 4 ? flagsOf(t.key.slice(1)) : 0;
        if (plainName(f) || ((rest & S) !== 0 && plainName(rest))) person = true;
      }
      if (!person) continue;
    }
    for (let q = k0; q < k1; q++) mark[q] = 1;
  }
}

// --- Arabic and Persian names after a title: "الدكتورة نورة القحطاني", "المهندس خالد الزهراني", "آقای رضا احمدی" ---
const CASELESS_TITLES = new Set(('السيد|السيدة|الآنسة|الأستاذ|الأستاذة|الاستاذ|الاستاذة|الدكتور|الدكتورة|المهندس|المهندسة|الشيخ|الشيخة|' +
  'الحاج|الحاجة|الأخ|الأخت|السادة|آقای|آقا|خانم|دکتر|مهندس|جناب|سرکار|استاد').split('|'));
// what follows a title and is no name: offices and the honorific adjectives written after a name ("المحترم")
const CASELESS_TITLE_STOP = new Set(('الرئيس|المدير|الوزير|النائب|الأمين|السفير|المحترم|المحترمة|العام|التنفيذي|العزيز|العزيزة|' +
  'الفاضل|الفاضلة|الكريم|الكريمة|محترم|عزیز|گرامی|رئیس|مدیر|وزیر').split('|'));
const CASELESS_LINKS = new Set('بن|بنت|ابن|أبو|ابو|أم|عبد|آل'.split('|'));
// a family name's shape: the Arabic article (al-), or the Persian endings -i, -zadeh, -pour, -nia, -far
const CASELESS_SURNAME = /^ال[\u0621-\u064a]{2,}$|[\u0621-\u06d3](?:ی|زاده|پور|نیا|فر)$/u;
/**
 * After an Arabic or Persian title, the words of the name: a first word (known or not) and then words the lexicon
 * knows, links (بن, أبو, عبد) and family names by their shape. Two words or more, or a known first one, are a name;
 * an ordinary word, an office ("السيد الرئيس") or an honorific adjective ends it.
 */
function scanCaselessTitles(c: Ctx): void {
  const { text, toks, mark } = c;
  for (let k = 0; k + 1 < toks.length; k++) {
    const t = toks[k]!;
    if (t.shape !== Shape.NoCase || t.gap !== 0 || !CASELESS_TITLES.has(t.key)) continue;
    let q = k + 1;
    let known = false;
    let afterLink = false;
    for (; q < toks.length && q - k <= 4; q++) {
      const u = toks[q]!;
      if (q > k + 1 && !gapIsSpace(text, toks[q - 1]!.e, u.s)) break;
      const f = fl(u);
      if (u.shape !== Shape.NoCase || CASELESS_TITLE_STOP.has(u.key) || CASELESS_TITLES.has(u.key)) break;
      const link = CASELESS_LINKS.has(u.key);
      if ((f & (X | T)) || ((f & W) && !isName(f) && !link)) break;
      if (q === k + 1) known = isName(f) && !link;
      else if (!(isName(f) || link || afterLink || CASELESS_SURNAME.test(u.key))) break;
      afterLink = link;
    }
    // (a link ends no name)
    while (q > k + 1 && CASELESS_LINKS.has(toks[q - 1]!.key)) q--;
    if (q - k - 1 >= 2 || (q === k + 2 && known)) for (let r = k + 1; r < q; r++) mark[r] = 1;
    k = q - 1;
  }
}

// (and the role words written after a name like a title: 医生 doctor, 教授 professor, 律师 lawyer, 部長 head of department …)
const HONORIFIC_AFTER = /^(?:先生|女士|小姐|老师|老師|同学|同學|总|總|經理|经理|医生|醫生|大夫|教授|律师|律師|护士|護士|主任|博士|院长|院長|校长|校長|工程师|工程師|さん|様|さま|氏|君|くん|ちゃん|先生|部長|課長|社長|教授|先輩|씨|님)/u;
const CJK_CUE = /(?:我叫|我是|叫|姓名|名字|联系人|聯絡人|致|名前は|私は|氏名|担当|担当者|宛|이름은|저는|제\s이름은|[:：])\s?$/u;
const CJK_SOFT_CUE = /(?:您好|你好|谢谢|謝謝|感谢|感謝|请联系|請聯繫|联系|聯繫|尊敬的|亲爱的|親愛的|こんにちは|こんばんは|おはようございます|ありがとう|ありがとうございます|안녕하세요|감사합니다)[，,、\s]{0,2}$/u;
const CJK_SOFT_AFTER = /^(?:です|と申します|でございます)/u;
const HANGUL_TAIL = /(?:입니다|이에요|예요|이고|이며|씨가|씨는|씨를|씨의|씨|님이|님은|님을|님의|님께|님|에게|한테|께서|이가|이는|이를|이의|은|는|이|가|을|를|의|와|과|도|에게서)$/u;

// the particles and endings of HANGUL_TAIL as a set: the longest one ending the word is the one the regex removes
const HANGUL_TAILS = new Set(HANGUL_TAIL.source.slice(3, HANGUL_TAIL.source.lastIndexOf(')')).split('|'));
const HANGUL_TAIL_MAX = Math.max(...[...HANGUL_TAILS].map((x) => x.length));
/** Length of the longest particle or ending in HANGUL_TAIL that ends `w` (what `w.replace(HANGUL_TAIL, '')` removes). */
function hangulTail(w: string): number {
  for (let n = Math.min(HANGUL_TAIL_MAX, w.length); n > 0; n--) if (HANGUL_TAILS.has(w.slice(w.length - n))) return n;
  return 0;
}
// lexicon flags of single syllables (Korean surnames), by code unit: -1 not looked up yet
const SYLLABLE = new Int32Array(0x10000).fill(-1);
function syllableFlags(c: number): number {
  let f = SYLLABLE[c]!;
  if (f === -1) SYLLABLE[c] = f = LEX.get(String.fromCharCode(c)) ?? 0;
  return f;
}

// the syllables of the lexicon's two-syllable Korean given names: a given name is two of them, whichever two
let GIVEN_SYLLABLES: Set<number> | null = null;
// two-syllable nouns that take 님 or 씨 as a title does (고객님 customer, 선생님 teacher, 사장님 boss, 마음씨 kindness)
const KO_TITLED = new Set('고객|선생|사장|부장|과장|차장|팀장|실장|원장|회장|교수|기사|대표|이사|형님|누님|언니|오빠|선배|후배|주인|작가|감독|목사|신부|회원|관리|담당|환자|학생|부모|어머|아버|하나|부처|주님|사모|도련|아가|아저|아주|마음|솜씨|말씨|글씨|날씨|맵씨|매니|박사|의사|변호|간호|상담|점장|국장|총장|소장|반장|조장|단장|위원|의원|장관|사부|스승|손님|귀하|여러|당신|자기|본인|고객센|기장|판사|검사|형사|소방|경찰|수녀|스님|목자|집사|장로|권사|전도|조교|강사|코치|팀원|직원|사원|대리|주임|선임|책임|수석|부사|사용|구매|판매|신청|예약|문의|방문'.split('|'));
/** "진호님, 안녕하세요": two given-name syllables with 님 or 씨 (and a particle after it) are someone's given name. */
function honorificGiven(w: string): boolean {
  if (w.length < 3) return false;
  const core = w.slice(0, 2);
  const h = w.charCodeAt(2);
  if (h !== 0xb2d8 && h !== 0xc528) return false; // 님, 씨
  if (KO_TITLED.has(core)) return false;
  if (GIVEN_SYLLABLES === null) {
    GIVEN_SYLLABLES = new Set();
    for (const [k, f] of LEX) if (k.length === 2 && (f & G) && HANGUL_RE.test(k)) GIVEN_SYLLABLES.add(k.charCodeAt(0)).add(k.charCodeAt(1));
  }
  return GIVEN_SYLLABLES.has(core.charCodeAt(0)) && GIVEN_SYLLABLES.has(core.charCodeAt(1));
}

/** Names inside unspaced CJK text, and Korean names with their particles. */
function scanCjk(c: Ctx, out: NameSpan[]): void {
  const { text, toks, mark } = c;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (mark[k] || t.shape !== Shape.NoCase) continue;
    const w = text.slice(t.s, t.e);
    if (HANGUL_RE.test(w)) {
      const core = w.length > 3 ? w.slice(0, w.length - hangulTail(w)) : w;
      if (core.length >= 2 && core.length <= 4) {
        const sur = syllableFlags(core.charCodeAt(0));
        const giv = LEX.get(core.slice(1)) ?? 0;
        // the cue is looked at only when the lexicon alone does not decide
        const lexOk = (sur & S) !== 0 && (giv & G) !== 0;
        const cueOk = () => CJK_CUE.test(before(text, t.s, 8)) || (cueBefore(c, k) & C_FIELD) !== 0;
        if (lexOk || (((sur & S) || ((LEX.get(core) ?? 0) & G)) && cueOk()) ) out.push({ start: t.s, end: t.s + core.length });
        else if (honorificGiven(w)) out.push({ start: t.s, end: t.s + 2 });
      }
      continue;
    }
    if (!CJK_RE.test(w[0]!)) continue;
    const scanTo = Math.min(w.length, 64);
    for (let p = 0; p < scanTo; p++) {
      let hit = 0;
      for (const sl of [2, 1]) {
        if (p + sl >= w.length) continue;
        if (!((LEX.get(w.slice(p, p + sl)) ?? 0) & S)) continue;
        const pre = before(text, t.s + p, 12);
        const cue = CJK_CUE.test(pre);
        // a greeting, thanks or "contact" before, "です" after: a name only when the lexicon knows the given name too
        const soft = !cue && CJK_SOFT_CUE.test(pre);
        for (const gl of [3, 2, 1]) {
          if (p + sl + gl > w.length) continue;
          const given = (LEX.get(w.slice(p + sl, p + sl + gl)) ?? 0) & G;
          const after = text.slice(t.s + p + sl + gl, t.s + p + sl + gl + 5);
          const honor = HONORIFIC_AFTER.test(after);
          const endsToken = p + sl + gl === w.length;
          const softAfter = CJK_SOFT_AFTER.test(after);
          // "こんにちは、山田太郎です": a greeting before and "です" right after is a self-introduction, whatever the given name
          if ((given && gl >= 2) || (given && (cue || honor || soft || softAfter)) || ((cue || honor || (soft && softAfter)) && gl >= 1 && gl <= 2 && (endsToken || honor || softAfter || gl === 2))) {
            hit = sl + gl;
            break;
          }
        }
        if (hit) break;
      }
      if (hit) {
        out.push({ start: t.s + p, end: t.s + p + hit });
        p += hit - 1;
      }
    }
  }
}

// --- Chinese names standing alone: in a Latin-script sentence ("Meeting with 陈美玲 tomorrow"), or in a list of names
// ("参会人员：王建国、李秀英、赵丽华") ---
const HAN_ISLAND_CUES = new Set('with|from|cc|bcc|by|ask|asked|tell|told|call|called|ping|pinged|email|emailed|contact|contacted|meet|met|thank|thanks|invite|invited|dear|hi|hello|hey|attn|remind|cc:|mit|von|avec|de|con'.split('|'));
const HAN_ONLY = /^\p{sc=Han}{2,4}$/u;
const HAN_LIST_CUE = /(?:参会人员|参会人|参会|出席人员|出席者|出席|与会者|與會者|参加者|参加人员|參加者|参与者|參與者|成员|成員|抄送|收件人|联系人|聯絡人|负责人|負責人|出席者|参加者|メンバー)\s?[:：]\s?$/u;
const HAN_SEP = (ch: number) => ch === 0x3001 || ch === 0xff0c || ch === 44 || ch === 59 || ch === 0xff1b;
/**
 * A Han word of two to four characters that opens with a surname (one character, or two: 欧阳) and a given name of
 * one or two characters, one of them a given-name character of the lexicon. `alone` (no list around it): three
 * characters, or four after a two-character surname ("高兴", "王国", "高速公路" are words).
 */
function hanNameShape(w: string, alone: boolean): boolean {
  if (!HAN_ONLY.test(w)) return false;
  const s2 = w.length >= 3 && ((LEX.get(w.slice(0, 2)) ?? 0) & S) !== 0;
  const sl = s2 ? 2 : ((LEX.get(w[0]!) ?? 0) & S) !== 0 ? 1 : 0;
  if (sl === 0 || w.length - sl > 2) return false;
  if (alone && w.length - sl !== 2) return false;
  const g = (x: string) => ((LEX.get(x) ?? 0) & G) !== 0;
  const given = w.slice(sl);
  return (g(given) || [...given].some(g)) && !((LEX.get(w) ?? 0) & W);
}
function scanHanNames(c: Ctx, cjk: NameSpan[]): void {
  const { text, toks, mark } = c;
  // the Han words scanCjk found whole
  const whole = new Set<number>();
  for (const n of cjk) whole.add(n.start * 8 + Math.min(7, n.end - n.start));
  const found = (t: Tok) => whole.has(t.s * 8 + Math.min(7, t.e - t.s));
  const han = (t: Tok | undefined) => t !== undefined && t.shape === Shape.NoCase && t.e - t.s <= 8 && CJK_RE.test(text[t.s]!);
  const latin = (t: Tok | undefined) => t !== undefined && t.key.charCodeAt(0) < 0x250 && t.shape !== Shape.NoCase;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (!han(t)) continue;
    // a list: Han words joined by one separator (、，,;), perhaps a space after it
    let j = k;
    while (j + 1 < toks.length && j - k < 64 && han(toks[j + 1]) && toks[j + 1]!.s - toks[j]!.e <= 2 && HAN_SEP(text.charCodeAt(toks[j]!.e)) &&
      (toks[j + 1]!.s - toks[j]!.e === 1 || text.charCodeAt(toks[j]!.e + 1) === 32)) j++;
    if (j > k) {
      const cued = HAN_LIST_CUE.test(before(text, t.s, 10));
      let nFound = 0;
      let shaped = 0;
      for (let q = k; q <= j; q++) {
        const u = toks[q]!;
        if (found(u)) nFound++;
        else if (hanNameShape(text.slice(u.s, u.e), false)) shaped++;
      }
      // after a cue, or beside a name found whole, with every word a name by its shape
      if ((cued && nFound + shaped >= 1) || (nFound >= 1 && nFound + shaped === j - k + 1)) {
        for (let q = k; q <= j; q++) if (!found(toks[q]!) && hanNameShape(text.slice(toks[q]!.s, toks[q]!.e), false)) mark[q] = 1;
      }
      k = j;
      continue;
    }
    if (found(t) || mark[k]) continue;
    // one Han word between Latin-script words: a name written in its own script inside an English sentence
    const p = toks[k - 1];
    const n = toks[k + 1];
    // (and something says person: a word that takes one before it, a cue, an address or a reporting verb after it; "in
    // 石家庄", "the 黄金周 holiday" stay)
    if (han(p) || han(n) || !hanNameShape(text.slice(t.s, t.e), true)) continue;
    // (a strong cue in any cased script: "Уважаемый(ая) 郑俊佳!", "Αγαπητέ/ή 钱旦冉,")
    const before1 = (latin(p) && gapIsSpace(text, p!.r, t.s) && HAN_ISLAND_CUES.has(p!.low)) || (p !== undefined && p.shape !== Shape.NoCase && (cueBefore(c, k) & STRONG) !== 0);
    const post = text.slice(t.e, t.e + 48);
    if (before1 || (latin(n) && (EMAIL_AFTER.test(post) || VERB_AFTER.test(post))) || (text.charCodeAt(t.e) === 39 && text.charCodeAt(t.e + 1) === 115)) mark[k] = 1;
  }
}

/**
 * A name found once is a name wherever else the text writes it: the agent's "Sorry to hear that, Thuthukile" after
 * "this is Thuthukile Dube". Only from strong evidence (a cue, a label, a sign-off) or a lexicon name, so a guess is
 * not repeated; titles, particles, initials, all-caps words and code stay out, and a word that is also an ordinary
 * word is not taken at a sentence start ("Will Smith" … "Will you …").
 * In another case ("thuthukile" in a lower-case reply, "DUBE" in a header) a single word repeats only when it is no
 * ordinary word and was found inside a whole name (a lone "Grace" says nothing of "grace period"), and a whole name of
 * two to four words repeats word for word ("Anna Berg" … "anna berg", where "anna" alone is an ordinary word too).
 */
function propagate(c: Ctx): void {
  const { text, toks, mark } = c;
  let found: Map<string, Shape> | null = null;
  // words that repeat in any case, and whole names (first word -> the names' keys), bounded
  let anyCase: Set<string> | null = null;
  let seqs: Map<string, string[][]> | null = null;
  let nSeqs = 0;
  for (let k = 0; k < toks.length; k++) {
    if (!mark[k]) continue;
    const t = toks[k]!;
    // a whole name: the marked words from here joined by single spaces
    if (nSeqs < MAX_SEQS && (k === 0 || !mark[k - 1] || toks[k - 1]!.gap !== 0 || toks[k - 1]!.poss)) {
      let j = k;
      while (j + 1 < toks.length && j - k < 4 && mark[j + 1] && toks[j]!.gap === 0 && !toks[j]!.poss) j++;
      if (j > k && j - k < 4) {
        let ok = true;
        let strong = false;
        for (let q = k; q <= j && ok; q++) {
          const u = toks[q]!;
          const f = fl(u);
          if ((f & (X | T)) || u.shape === Shape.Initial || u.shape === Shape.Mixed || u.shape === Shape.NoCase || u.e - u.s < 2) ok = false;
          if (mark[q] === 2 || plainName(f)) strong = true;
        }
        if (ok && strong) {
          const keys: string[] = [];
          for (let q = k; q <= j; q++) keys.push(toks[q]!.key);
          seqs ??= new Map();
          const list = seqs.get(keys[0]!);
          if (list) list.push(keys);
          else seqs.set(keys[0]!, [keys]);
          nSeqs++;
        }
      }
    }
    if (t.shape === Shape.Initial || t.shape === Shape.Upper || t.e - t.s < 2 || (fl(t) & (T | P | X))) continue;
    // from a cue (not a line shape alone), or a lexicon name; never an ordinary word
    if ((fl(t) & W) || (mark[k] !== 2 && !plainName(fl(t)))) continue;
    (found ??= new Map()).set(t.key, t.shape);
    // another case only for a word of a whole name ("Grace" alone is no evidence for "grace period"), and no place's
    const inName = (k > 0 && mark[k - 1] && toks[k - 1]!.gap === 0) || (k + 1 < toks.length && mark[k + 1] && t.gap === 0);
    // a given name alone may be a word the lists miss ("Grace Hopper" … "grace period"): surnames and unseen words only
    const f = fl(t);
    if (inName && (((f & S) && !(f & G)) || f === 0) && t.e - t.s >= 3 && t.shape !== Shape.NoCase && !PLACES.has(foldOf(t.w))) (anyCase ??= new Set()).add(t.key);
  }
  if (!found && !seqs) return;
  const cased = (sh: Shape) => sh === Shape.Cap || sh === Shape.Lower || sh === Shape.Upper;
  for (let k = 0; k < toks.length; k++) {
    if (mark[k]) continue;
    const t = toks[k]!;
    const list = seqs?.get(t.key);
    if (list && cased(t.shape) && !(fl(t) & (X | T))) {
      let hit = 0;
      for (const keys of list) {
        let q = 1;
        for (; q < keys.length; q++) {
          const u = toks[k + q];
          if (!u || mark[k + q] || toks[k + q - 1]!.gap !== 0 || toks[k + q - 1]!.poss || u.key !== keys[q] || !cased(u.shape) || (fl(u) & (X | T))) break;
        }
        if (q === keys.length && q > hit) hit = q;
      }
      if (hit) {
        for (let q = 0; q < hit; q++) mark[k + q] = 1;
        k += hit - 1;
        continue;
      }
    }
    const sh = found?.get(t.key);
    if (sh === undefined) continue;
    // (in another case, not as an address's local part: "farid+billing@", "farid.n@")
    if (sh !== t.shape && !(anyCase?.has(t.key) && cased(t.shape) && !inAddress(text, t.s, t.r))) continue;
    const f = fl(t);
    if (f & (X | T)) continue;
    if ((f & W) && !plainName(f) && sentenceStart(text, t.s)) continue;
    if (!plainName(f) && inHeading(c, t.s)) continue;
    mark[k] = 1;
  }
}
const MAX_SEQS = 64;
// + @ _ % = / next to a word, or a dot between it and a letter or digit: part of an address, a handle or a path
const ADDRESS_CHARS = new Set([43, 64, 95, 37, 61, 47]);
const inAddress = (text: string, s: number, e: number) => {
  const a = text.charCodeAt(e);
  const b = s > 0 ? text.charCodeAt(s - 1) : 32;
  return ADDRESS_CHARS.has(a) || ADDRESS_CHARS.has(b) || (a === 46 && isLetterOrDigit(text.charCodeAt(e + 1))) || (b === 46 && s > 1 && isLetterOrDigit(text.charCodeAt(s - 2)));
};

const CHUNK = 32_768;
let MARK_BUF = new Uint8Array(1024);

/** Some UTF-16 code unit is at least `min` (a cheap gate before a script-property regex: U+1100 opens Hangul, the lowest of the CJK scripts). */
function hasCodeUnitFrom(text: string, min: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= min) return true;
  return false;
}

/** Appends the person names found in `text`. */
export function findNames(text: string, out: NameSpan[]): void {
  if (text.length <= CHUNK) return findNamesIn(text, 0, out);
  // Long text goes in pieces cut at a line break (else a space), so the per-word records of one piece die young
  // instead of filling the old generation: a megabyte of words costs the collector little.
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + CHUNK);
    if (end < text.length) {
      // look back at most half a piece for a line break, then for a space (bounded: no scan to the text's start)
      const floor = start + CHUNK / 2;
      // (lastIndexOf over the window's slice, not a walk char by char, nor a search on to the text's start)
      const win = text.slice(floor + 1, end + 1);
      const nl = win.lastIndexOf('\n');
      const sp = nl === -1 ? win.lastIndexOf(' ') : -1;
      if (nl !== -1) end = floor + 1 + nl + 1;
      else if (sp !== -1) end = floor + 1 + sp + 1;
    }
    findNamesIn(text.slice(start, end), start, out);
    start = end;
  }
}

function findNamesIn(text: string, offset: number, out: NameSpan[]): void {
  const toks = tokenize(text);
  if (toks.length === 0) return;
  // one mark buffer for every call (cleared to the length used: marks are read only at token indices)
  if (MARK_BUF.length < toks.length) MARK_BUF = new Uint8Array(Math.max(toks.length, MARK_BUF.length * 2));
  else MARK_BUF.fill(0, 0, toks.length);
  const mark = MARK_BUF;
  const c: Ctx = { text, toks, mark, hasHash: text.indexOf('#') !== -1, markAs: 2, lsPos: 0, lsStart: 0 };
  scoreRuns(c);
  scanCues(c);
  scanLowerPairs(c);
  scanLists(c);
  if (text.indexOf('\n') !== -1 || text.indexOf(':') !== -1 || text.indexOf('：') !== -1) scanLines(c);
  const noCase = toks.some((t) => t.shape === Shape.NoCase);
  if (noCase && /[\u0600-\u06ff]/.test(text)) scanCaselessTitles(c);
  scanNameLists(c);
  if (text.indexOf('(') !== -1 || text.indexOf('@') !== -1) scanCodeOwners(c);
  if (text.indexOf(':') !== -1) scanRoleLines(c);
  if (text.indexOf('|') !== -1 && text.indexOf('\n') !== -1) scanPipeTables(c);
  const cjk: NameSpan[] = [];
  if (noCase && hasCodeUnitFrom(text, 0x1100) && /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u.test(text)) {
    scanCjk(c, cjk);
    scanHanNames(c, cjk);
  }
  propagate(c);
  // join marked tokens separated by single spaces (particles in between stay inside)
  let k = 0;
  while (k < toks.length) {
    if (!mark[k]) {
      k++;
      continue;
    }
    let j = k;
    for (;;) {
      const nx = j + 1;
      if (nx < toks.length && !toks[j]!.poss && gapIsSpace(text, toks[j]!.e, toks[nx]!.s)) {
        if (mark[nx]) {
          j = nx;
          continue;
        }
        // particles between two marked words
        let q = nx;
        while (q < toks.length && q - nx < 3 && PARTICLE_WORDS.has(toks[q]!.low) && (fl(toks[q]!) & P) && gapIsSpace(text, toks[q - 1]!.e, toks[q]!.s)) q++;
        if (q > nx && q < toks.length && mark[q] && gapIsSpace(text, toks[q - 1]!.e, toks[q]!.s)) {
          j = q;
          continue;
        }
      }
      break;
    }
    // "Miro Enterprise", "Figma Dev Mode", "Spring Gala 2026": an edition, mode or event word after it, or a season
    // before a lone word, makes the span the name of a product or an event
    const runEnd = j;
    while (j > k && editionWord(toks[j]!)) j--;
    if (!productName(c, k) && !editionWord(toks[j + 1], toks[j]!, text) && !(j === k && seasonBefore(c, k))) out.push({ start: offset + toks[k]!.s, end: offset + toks[j]!.e });
    k = runEnd + 1;
  }
  for (const n of cjk) out.push({ start: offset + n.start, end: offset + n.end });
}
