import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { eachColumnCell, eachFixedColumnCell } from './date-of-birth.js';
import { eachSqlColumnCell, sqlScan } from './sql-columns.js';
import { findSpaced } from './spaced.js';
import { defineEntity, eachMatch } from './registry.js';

/*
 * Phones: a cheap linear scan proposes digit groups shaped like a phone number; guards drop dates, versions,
 * ISBNs, amounts, arithmetic and ids; libphonenumber-js (full "max" metadata, so isValid() checks each
 * country's real number ranges, not just lengths) decides the rest. We do not call its findNumbers() over
 * the whole text: at our throughput its scan costs more than the rest of the tokenizer, and our prefilter
 * hands it only the few candidates that survive the guards.
 *
 * Leniency, per case:
 *  - `+CC ...` or `00CC ...`: 8-15 digits, or possible for the library (findNumbers' POSSIBLE leniency);
 *  - a national number after a phone word (tel, fax, desk, office, mobile, Telefon, tél...): valid in any of
 *    DEFAULT_COUNTRIES;
 *  - a national number with no cue: printed with groups (or a trunk 0), valid (VALID leniency) in one of
 *    the few countries whose plans use that shape, and no id, amount or date context around it.
 */

// a comma may precede (CSV cells), but not after a digit (1,234,567); `(+44) 7911123456` (a country code in parentheses
// before one long group) is its own branch, so the groups of every other candidate stay at most 8 digits
// The look-ahead (the next seven characters are all number characters) is implied by the seven digits a phone
// needs and rejects in the engine what would otherwise be a callback per short digit run (`1\n1\n`, `%2540`).
const CAND_RE = /(?<![\w+./#-]|\d[ .,-])(?=[\d+( ).\/-]{7})(?:\(\+\d{1,3}\) ?\d{9,10}(?!\d)|(?:\+|00)?\(?\+?\d{1,15}\)?(?:(?:[ .\/-]|\) ?| \()\(?\d{1,8}\)?){0,6})(?: ?(?:x|ext\.?|extn\.?|extension|#) ?\d{1,6})?(?!\w)/gi;
const EXT_RE = / ?(?:x|ext\.?|extn\.?|extension|#) ?\d{1,6}$/i;
// phone words; found once per document (no /u flag: it makes a scan ten times slower). Words in scripts without
// spaces or ASCII word characters (电话, 電話番号, 전화, هاتف) stand outside the \b group: \b never fires beside them. A
// phone word glued to an identifier by '_' (`CUSTOMER_PHONE`, `phone_number`, `home_tel`) is a field name; only the
// words that mean nothing else are taken that way (`order_number`, `cell_count` are not cues).
const PHONE_CUE = /\b(?:phone|callback|call back|call me|tel|tele?fon[eo]?|mobile?|mobil|cell|call|fax|whatsapp|sms|text|contact|contacto|kontakt|reach|number|ring|ph|mob|dial|desk|office|direct|hotline|landline|switchboard|main|home|work|nummer|rufnummer|handy|num[ée]ro|n[úu]mero|t[ée]l[ée]phone|t[ée]l|portable|m[óo]vil|cellulare|tlf|puhelin)\b|_(?:phone|mobile|msisdn|tel|fax)(?![a-z])|(?<![a-z])(?:phone|mobile|msisdn)_|☎|📞|电话|電話|手机|手機|携帯|전화|휴대폰|هاتف|جوال|تلفن|موبایل/gi;
// words before a number that make it something other than a phone
const ID_WORDS = new Set('order ord invoice inv ref reference id ticket case batch serial sku part item tracking po txn transaction account acct isbn issn version ver build release commit zip postcode amount total price cost qty quantity row rows page line port pid uid gid code pin otp year step run job'.split(' '));
const UNIT_AFTER = /^ ?(?:%|[*×/+=^]|rows|records|items|users|people|times|tokens|bytes|ms|kb|mb|gb|km|kg|usd|eur|gbp)/i;
const DATE_SHAPE = /^(?:(?:19|20)\d\d ?[-–/] ?(?:19|20)\d\d|\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}|(?:19|20)\d{2} ?\d{4})$/;

// Portuguese (1100-048 Lisboa) and Brazilian (01310-100 São Paulo) postcodes before their city: no phone plan groups
// digits 4-3 or 5-3, yet a phone word further back (`seen at home (Rua …, 1100-048 Lisboa)`) let them through
// two to five groups of 2-4 digits with one separator throughout (a dash, dot or space), or an area code in parentheses
const PHONE_GROUPS = /^(?:\(\d{2,4}\) ?)?\d{2,4}(?:([ .-])\d{2,4})(?:\1\d{2,4}){0,3}$/;
const POSTCODE_SHAPE = /^(?:\d{4}|\d{5})-\d{3}$/;
const CITY_START = /^ \p{Lu}/u;
const AMOUNT_OR_OPERATOR = new Set(['$', '€', '£', '¥', '*', '×', '/', '=', '^']);
const IPV4_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:\/\d{1,2})?$/; // addresses and CIDR blocks

const DEFAULT_COUNTRIES: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'ES', 'IT', 'NL', 'BE', 'CH', 'AT', 'SE', 'NO', 'DK', 'FI', 'PL', 'PT', 'IE', 'AU', 'NZ', 'SG', 'HK', 'LT', 'BR', 'MX', 'CA', 'JP', 'ZA'];
// Without a cue, only plans whose numbers are hard to confuse with counts and ids, picked by the number's shape.
const TRUNK_ZERO: CountryCode[] = ['GB', 'FR', 'DE', 'IT', 'NL', 'BE', 'CH', 'AT', 'AU', 'IN', 'IE', 'SE', 'NZ'];
const EIGHT_DIGIT: CountryCode[] = ['DK', 'NO', 'SG', 'HK'];
const NINE_DIGIT: CountryCode[] = ['ES', 'PT'];
const AREA_IN_PARENS: CountryCode[] = ['LT', 'BR', 'MX', 'AR'];
// A number right after a phone word may be from any plan; these are tried after the defaults for such numbers only
// (`联系电话13812345678`, `전화 010-1234-5678`, `Telefon: 0532 123 45 67`), not for numbers without a cue.
const CUED_EXTRA: CountryCode[] = ['CN', 'TW', 'KR', 'TR', 'IR', 'SA', 'AE', 'EG', 'IL', 'RU', 'UA', 'GR', 'CZ', 'HU', 'RO'];
const CUED_COUNTRIES: CountryCode[] = [...DEFAULT_COUNTRIES, ...CUED_EXTRA];
const CUED_TRUNK_ZERO: CountryCode[] = [...TRUNK_ZERO, ...CUED_EXTRA.filter((c) => !TRUNK_ZERO.includes(c)), 'JP'];

// Library calls per document are capped: a field stuffed with phone-shaped numbers stays linear. Past the cap the
// shape decides for numbers with a cue or a trunk 0 (we would rather tokenize a look-alike than keep a phone).
const LIB_BUDGET = 256;
let budget = LIB_BUDGET;

function validIn(raw: string, countries: readonly CountryCode[]): boolean {
  if (budget <= 0) return /^[0(+]/.test(raw) || countries === DEFAULT_COUNTRIES || countries === CUED_COUNTRIES;
  for (const c of countries) {
    budget--;
    const n = parsePhoneNumberFromString(raw, { defaultCountry: c, extract: false });
    if (n && n.isValid()) return true;
  }
  return false;
}

/**
 * Digits someone wrapped in a token-shaped string (`<EMAIL:k1:3047636165dadedd>`): no grouping and no cue to go by,
 * so a number valid in one of the default plans. `budget.calls` bounds the library calls per document (a field of such
 * strings stays linear); past it the digit count decides, as for cued numbers.
 */
export function wrappedPhone(digits: string, budget: { calls: number }): boolean {
  if (digits.length < 8 || digits.length > 12) return false;
  const countries = digits[0] === '0' ? TRUNK_ZERO : DEFAULT_COUNTRIES;
  if (budget.calls <= 0) return digits.length >= 10;
  for (const c of countries) {
    budget.calls--;
    const n = parsePhoneNumberFromString(digits, { defaultCountry: c, extract: false });
    if (n && n.isValid()) return true;
  }
  return false;
}

function possibleIntl(body: string): boolean {
  if (budget-- <= 0) return false;
  const n = parsePhoneNumberFromString(body.startsWith('00') ? `+${body.slice(2)}` : body.replace('(+', '+'), { extract: false });
  return !!n && n.isPossible();
}

/** What acceptNational reads of a body's shape alone (kept for a run of one body: a field repeating one number). */
interface BodyShape {
  grouped: boolean;
  /** North American shapes: (212) 555-0199, 212-555-0199, 212.555.0199, 1-212-555-0199 (same separator throughout) */
  northAmerican: boolean;
}
const bodyShape = (body: string): BodyShape => ({
  grouped: /[ .\/()-]/.test(body),
  northAmerican: /^(?:1[ .-]?)?(?:\(\d{3}\) ?\d{3}[-. ]\d{4}|\d{3}([-.])\d{3}\1\d{4}|\d{3} \d{3} \d{4})$/.test(body),
});

function acceptNational(body: string, digits: string, shape: BodyShape): boolean {
  const grouped = shape.grouped;
  if (shape.northAmerican) return true;
  if (digits[0] === '0') return (grouped || digits.length >= 10) && validIn(body, TRUNK_ZERO);
  if (!grouped) return false;
  if (body[0] === '(') return validIn(body, AREA_IN_PARENS);
  if (digits.length === 8) return digits[0] !== '0' && digits[0] !== '1' && validIn(body, EIGHT_DIGIT);
  if (digits.length === 9) return /^[26-9]/.test(digits) && validIn(body, NINE_DIGIT);
  return false; // e.g. Indian mobiles written 98765 43210: also a pair of counts, so a cue is needed
}

// A table header cell that names a phone column (`phone`, `Phone number`, `mobile_phone`, `Telefon`, `| Mobile |`).
// Only phone words: a `number` or `contact` column holds ids as often as phones.
const PHONE_HEADER = /^["' ]*(?:(?:mobile|cell|home|work|office|business|private|contact|primary|main|direct|customer|emergency)[ _.-]?|(?:[a-z]{2,16}[ _.-]){1,2})?(?:phone|tel\.?|telephone|t[ée]l[ée]phone|telefon[eo]?|tel[ée]fono|mobile?|mobil|cell|fax|msisdn|whatsapp|handy|portable|m[óo]vil|cellulare|rufnummer|电话|電話|手机|手機|携帯|전화|هاتف|جوال|تلفن|موبایل)(?:[ _.-]?(?:number|no\.?|nr\.?|nummer|num|#))?["' ]*$/i;
const MAX_CELL = 40; // characters read either side of a cue for its header cell
const isCellEdge = (c: number) => c === 10 || c === 13 || c === 9 || c === 59 || c === 124 || c === 44;

/**
 * The ends of the phone words in `text`, and the [start, end) of each cell of a column whose header is a phone word
 * (flat, in text order): digits there have a cue though it is on another line. eachColumnCell bounds the rows read per
 * document, and reads each header line once.
 */
function cueEnds(text: string): { ends: number[]; cells: number[] } {
  const ends: number[] = [];
  const cells: number[] = [];
  const seen = { line: -1, rows: 0 };
  // the cell edges around each cue, from two pointers that only move forward (cues come in text order): a megabyte of
  // `phone=…&` cues reads each character once, not the 80 around every cue
  let lastEdge = -1;
  let scannedTo = 0;
  let nextEdge = -1;
  const sql = sqlScan(text);
  const fixed = { line: -1, rows: 0 };
  eachMatch(PHONE_CUE, text, (m) => {
    const end = m.index + m[0].length;
    ends.push(end);
    if (sql.insert) {
      // a phone column of an SQL INSERT: the whole identifier (`phone`, `mobile_phone`, `"Telefon"`) names it
      let ia = m.index;
      while (ia > 0 && isIdent(text.charCodeAt(ia - 1))) ia--;
      let ib = end;
      while (ib < text.length && isIdent(text.charCodeAt(ib))) ib++;
      if (ib - ia <= MAX_CELL && PHONE_HEADER.test(text.slice(ia, ib)) && eachSqlColumnCell(text, ia, ib, sql, (x, y) => void cells.push(x, y))) return;
    }
    // a fixed-width table's column (`Pupil      Born        Guardian phone`): the cue ends the header cell, before a
    // run of spaces or the line end (checked first: cheap for a megabyte of `phone=` cues)
    const nc = text.charCodeAt(end);
    if ((nc === 32 && text.charCodeAt(end + 1) === 32) || nc === 10 || nc === 13) {
      let fa = m.index;
      while (fa > 0 && m.index - fa < MAX_CELL && text.charCodeAt(fa - 1) !== 10 && !(text.charCodeAt(fa - 1) === 32 && text.charCodeAt(fa - 2) === 32)) fa--;
      if (PHONE_HEADER.test(text.slice(fa, end))) eachFixedColumnCell(text, fa, end, fixed, (x, y) => void cells.push(x, y));
    }
    // the cell starts after the last edge before the cue, when that is at most MAX_CELL + 1 back (or the text starts
    // within MAX_CELL); the cell ends at the first edge from the cue's end, at most MAX_CELL on, or at the text's end
    for (; scannedTo < m.index; scannedTo++) if (isCellEdge(text.charCodeAt(scannedTo))) lastEdge = scannedTo;
    let a: number;
    if (lastEdge >= m.index - MAX_CELL - 1) a = lastEdge + 1;
    else if (m.index <= MAX_CELL) a = 0;
    else return;
    if (nextEdge < end) {
      nextEdge = end;
      while (nextEdge < text.length && !isCellEdge(text.charCodeAt(nextEdge))) nextEdge++;
    }
    if (nextEdge - end > MAX_CELL) return;
    const b = nextEdge;
    if (!PHONE_HEADER.test(text.slice(a, b))) return;
    eachColumnCell(text, a, b, seen, (x, y) => void cells.push(x, y));
  });
  // pairs from tables further down come later; a second phone column of the same header is not read (once per line)
  return { ends, cells };
}

const isIdent = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
// space, tab, newline, ':', '#', '.', '=', '-'
const isSep = (c: number) => c === 32 || c === 9 || c === 10 || c === 58 || c === 35 || c === 46 || c === 61 || c === 45;

/** The word right before `at`, past at most three separators, lower-cased ('' when none). */
function wordBefore(text: string, at: number): string {
  let i = at;
  let seps = 0;
  while (i > 0 && seps < 4 && isSep(text.charCodeAt(i - 1))) i--, seps++;
  const end = i;
  while (i > 0 && end - i < 12 && isLetter(text.charCodeAt(i - 1))) i--;
  return end - i > 0 && !(i > 0 && isLetter(text.charCodeAt(i - 1))) ? text.slice(i, end).toLowerCase() : '';
}

function prevNonSpace(text: string, at: number): string {
  let i = at - 1;
  if (i >= 0 && text[i] === ' ') i--;
  return i >= 0 ? text[i]! : '';
}

// `phone=`, `msisdn=`, `to=`: an '=' glued to a key of two or more word characters is a form field or config
// assignment, not the result of arithmetic (`529 * 392 = 65616`, `x = 4155550100`)
const ASSIGN_KEY = /(?:^|[^\w])[A-Za-z_][\w.-]*[A-Za-z_]$/;
const isAssignment = (text: string, at: number) => text.charCodeAt(at - 1) === 61 && ASSIGN_KEY.test(text.slice(Math.max(0, at - 33), at - 1));

export function findPhones(text: string, out: { type: string; start: number; end: number }[]): void {
  budget = LIB_BUDGET;
  let cues: number[] | undefined;
  let cells: number[] = [];
  let ci = 0;
  let ki = 0;
  /**
   * Whether a phone word ends within 32 characters before `start`, on the same line, or `start` is in a cell of a
   * phone column (starts come in text order).
   */
  /** The end of the phone-column cell `start` is in, or -1. */
  const cellEnd = (start: number): number => {
    if (!cues) ({ ends: cues, cells } = cueEnds(text));
    while (ki < cells.length && cells[ki + 1]! <= start) ki += 2;
    return ki < cells.length && cells[ki]! <= start ? cells[ki + 1]! : -1;
  };
  const cueBefore = (start: number): boolean => {
    if (cellEnd(start) >= 0) return true;
    while (ci < cues!.length && cues![ci]! <= start) ci++;
    const lastCue = ci > 0 ? cues![ci - 1]! : -1;
    if (lastCue < 0 || start - lastCue > 32) return false;
    for (let k = lastCue; k < start; k++) if (text.charCodeAt(k) === 10) return false;
    return true;
  };
  let lastBody = '';
  let lastDigits = '';
  let lastShape: BodyShape | undefined;
  // the body is no national number by its shape alone (asked only of bodies that are not international)
  let lastDate: boolean | undefined;
  eachMatch(CAND_RE, text, (m) => {
    let raw = m[0];
    let plain = true;
    for (let k = 0; k < raw.length && plain; k++) plain = raw.charCodeAt(k) >= 48 && raw.charCodeAt(k) <= 57;
    // digits alone, no trunk 0: a national number printed without groups, which only a phone word lets through
    // (decided here, before the guards: a megabyte of such runs is one cheap test each)
    if (plain && raw.charCodeAt(0) !== 48 && (raw.length > 12 || !cueBefore(m.index))) return;
    // a trailing ')' or '(' that is not part of the number stays in the text
    while (raw.endsWith('(') || (raw.endsWith(')') && raw.indexOf('(') === -1)) raw = raw.slice(0, -1);
    if ((raw.startsWith('(') && raw.indexOf(')') === -1) || (raw.indexOf(')') !== -1 && raw.indexOf('(') === -1)) return;
    let hasExtChar = false;
    for (let k = 0; k < raw.length; k++) {
      const c = raw.charCodeAt(k) | 32; // lower case
      if (c === 120 || c === 116 || c === 110 || c === 35) hasExtChar = true; // x t n #
    }
    const ext = hasExtChar ? EXT_RE.exec(raw) : null;
    const body = ext ? raw.slice(0, raw.length - ext[0].length) : raw;
    let nd = 0;
    for (let k = 0; k < body.length; k++) if (body.charCodeAt(k) >= 48 && body.charCodeAt(k) <= 57) nd++;
    if (nd < 7 || nd > 15) return;
    // seven digits with no '+', '(' or trunk 0 fit no shape a national number is taken in without a phone word
    if (nd === 7 && body[0] !== '+' && body[0] !== '(' && body[0] !== '0' && !cueBefore(m.index)) return;
    // (a field that repeats one number, a megabyte of wrapped IBANs, strips its digits and reads its shapes once)
    if (body !== lastBody) {
      lastBody = body;
      lastDigits = body.replace(/\D/g, '');
      lastShape = undefined;
      lastDate = undefined;
    }
    const digits = lastDigits;
    const start = m.index;
    const end = start + raw.length;
    const nc = text.charCodeAt(end);
    // `1,234,567` is one number, but a phone cell ends at the comma before the next cell's digits
    const cellEdge = nc === 44 && cellEnd(start) === end;
    if (nc === 44 || nc === 46 ? !cellEdge && text.charCodeAt(end + 1) >= 48 && text.charCodeAt(end + 1) <= 57 : (nc === 32 || nc === 37 || nc === 42 || nc === 215 || nc === 47 || nc === 43 || nc === 61 || nc === 94) && UNIT_AFTER.test(text.slice(end, end + 8))) return;
    if (AMOUNT_OR_OPERATOR.has(prevNonSpace(text, start)) && !isAssignment(text, start)) return;
    // digits that run into `:36` end in the hour of a time (`2024-01-11 11:36`, `Call log — 2024-01-11 11:36`)
    if (nc === 58 && text.charCodeAt(end + 1) >= 48 && text.charCodeAt(end + 1) <= 57 && text.charCodeAt(end + 2) >= 48 && text.charCodeAt(end + 2) <= 57) return;
    const intl = body[0] === '+' || body.startsWith('(+') || (body.startsWith('00') && digits.length >= 10);
    if (!intl && POSTCODE_SHAPE.test(body) && CITY_START.test(text.slice(end, end + 2))) return;
    // not a national number: a date (in parentheses too: `Progress note (09/04/2026)`), an IPv4 address, an ISBN, more
    // than the 12 digits national numbers have with their trunk 0 (cards, ids), or the SSN shape (US_SSN's: no 9-digit
    // plan prints it)
    if (!intl) {
      if (lastDate === undefined) {
        const unwrapped = body[0] === '(' && body.endsWith(')') ? body.slice(1, -1) : body;
        lastDate = DATE_SHAPE.test(unwrapped) || IPV4_SHAPE.test(body) || (/^97[89]/.test(digits) && digits.length === 13) ||
          digits.length > 12 || (body.length === 11 && /^\d{3}-\d{2}-\d{4}$/.test(body));
      }
      if (lastDate) return;
    }
    if (ID_WORDS.has(wordBefore(text, start))) return; // the word right before wins over a phone word further back
    const cue = cueBefore(start);
    let ok: boolean;
    if (intl) {
      // '+' and 8-15 digits is a phone even when written with a stray trunk 0 or one digit too many; the library
      // is asked only about what that rule rejects (+1 numbers of the wrong length, short ones)
      ok = (digits.length >= 8 && (body[1] !== '1' || digits.length === 11)) || possibleIntl(body);
    } else {
      const shape = (lastShape ??= bodyShape(body));
      // right after a phone word, digits grouped the way phone numbers are (8 to 12 digits, groups of 2 to 4) are a
      // phone of some plan, whether or not one of ours: `Phone: 511-754-922` (Georgia), `tel. 587-0907-5041`
      ok = acceptNational(body, digits, shape) || (cue && (validIn(body, digits[0] === '0' ? CUED_TRUNK_ZERO : CUED_COUNTRIES) || (digits.length >= 8 && PHONE_GROUPS.test(body))));
    }
    if (ok) out.push({ type: 'PHONE', start, end });
  });
}

export default defineEntity({
  type: 'PHONE',
  rank: 80,
  description: 'Telephone numbers: international (`+CC`, `00CC`), national with a trunk 0, North American, and 8-9 digit national plans; extensions (`x565`, `ext. 12`) are part of the value.',
  validator: 'libphonenumber-js (max metadata): possible length for `+CC` numbers, valid number range for national ones',
  context: 'a phone word (tel, fax, desk, office, mobile, Telefon, tél...) or a phone column (CSV, Markdown, fixed-width, SQL INSERT) lets any valid national number through, and digits grouped as phones are; without one the number must be printed in groups, valid in a plan that uses that shape, and not after an id word (order, ref, batch, version...) or before a unit',
  lookalike: 'batch 98765 43210 rows, due 2026-03-10, ISBN 978-0-306-40615-7',
  find: (text, out, ctx) => {
    if (!ctx.hasDigit) return;
    findPhones(text, out);
    findSpaced('PHONE', text, out, ctx);
  },
  // the extension is not part of the token: a subject search for the line finds it with any extension
  normalise: (full) => {
    const raw = full.replace(EXT_RE, '');
    const d = raw.replace(/\D/g, '');
    if (raw.trimStart().startsWith('+')) return `+${d}`;
    if (d.length === 10 && /^\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$/.test(raw.trim())) return `+1${d}`;
    if (d.length === 11 && d[0] === '1' && /^1[ .-]?\(?\d{3}/.test(raw.trim())) return `+${d}`;
    return d;
  },
});
