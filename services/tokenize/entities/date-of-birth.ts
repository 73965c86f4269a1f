import { birthDateOk } from '../validators.js';
import { defineEntity, eachMatch, type Candidate } from './registry.js';
import { eachSqlColumnCell, sqlScan } from './sql-columns.js';

const MONTHS: Record<string, number> = {};
const names: [number, string][] = [
  [1, 'jan january januar janvier enero gennaio janeiro januari styczeń'], [2, 'feb february februar février fevrier febrero febbraio fevereiro februari luty'],
  [3, 'mar march märz maerz mars marzo março maart marzec'], [4, 'apr april avril abril aprile kwiecień'], [5, 'may mai mayo maggio maio mei maj'],
  [6, 'jun june juni juin junio giugno junho czerwiec'], [7, 'jul july juli juillet julio luglio julho lipiec'], [8, 'aug august août aout agosto augustus sierpień'],
  [9, 'sep sept september septembre septiembre settembre setembro wrzesień'], [10, 'oct october oktober octobre octubre ottobre outubro okt październik'],
  [11, 'nov november novembre noviembre novembro listopad'], [12, 'dec december dezember décembre decembre diciembre dicembre dezembro grudzień'],
];
// day-month-year languages that write the month in words, most in the genitive a date takes (23 stycznia 1948,
// 12 марта 1985): Polish, Czech, Russian, Ukrainian, Greek, Swedish, Danish/Norwegian, Finnish, Indonesian, Turkish,
// Romanian, Catalan
const MORE_MONTHS = [
  'stycznia ledna января січня ιανουαρίου ιανουαριου tammikuuta ocak ianuarie gener',
  'lutego února февраля лютого φεβρουαρίου φεβρουαριου helmikuuta şubat februarie febrer',
  'marca března марта березня μαρτίου μαρτιου marts maaliskuuta maret mart martie març',
  'kwietnia dubna апреля квітня απριλίου απριλιου huhtikuuta nisan aprilie abril',
  'maja května мая травня μαΐου μαιου toukokuuta mayıs mayis mai maig',
  'czerwca června июня червня ιουνίου ιουνιου kesäkuuta haziran iunie juny',
  'lipca července июля липня ιουλίου ιουλιου heinäkuuta temmuz iulie juliol',
  'sierpnia srpna августа серпня αυγούστου αυγουστου augusti elokuuta agustus ağustos agustos august agost',
  'września září сентября вересня σεπτεμβρίου σεπτεμβριου syyskuuta eylül eylul septembrie setembre',
  'października října октября жовтня οκτωβρίου οκτωβριου lokakuuta ekim octombrie octubre',
  'listopada listopadu ноября листопада νοεμβρίου νοεμβριου marraskuuta kasım kasim noiembrie novembre',
  'grudnia prosince декабря грудня δεκεμβρίου δεκεμβριου joulukuuta desember aralık aralik decembrie desembre',
];
MORE_MONTHS.forEach((words, i) => names.push([i + 1, words]));
for (const [n, words] of names) for (const w of words.split(' ')) MONTHS[w] = n;
const MONTH = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

// numeric (31/12/1985, 1985-12-31, 12.31.85), written (31 December 1985, Dec 31, 1985, 31. Dezember 1985, 31 de diciembre
// de 1985), or with the CJK year/month/day signs (1985年12月31日, 1985 年 12 月 31 日; Japanese, Chinese, and Korean 년 월 일)
const DATE_RE = new RegExp(
  `(?<![\\w./-])(?:(\\d{1,2})(?:[./-]|\\. )(\\d{1,2})(?:[./-]|\\. )(\\d{4}|\\d{2})|(\\d{4})(?:[./-]|\\. )(\\d{1,2})(?:[./-]|\\. )(\\d{1,2})|(\\d{1,2})(?:st|nd|rd|th|er)?\\.?[\\s-](?:de\\s|of\\s)?(${MONTH})\\.?,?[\\s-](?:de\\s)?(\\d{4})|(${MONTH})\\.?\\s(\\d{1,2})(?:st|nd|rd|th)?,?\\s(\\d{4})|(\\d{4}) ?[年년] ?(\\d{1,2}) ?[月월] ?(\\d{1,2}) ?[日일]?)(?![\\w/-]|\\.\\d)`,
  'iu',
);
// the birth cue must end within a few non-digit characters before the date; dates are looked for only after a cue
// `(?<![a-z])` rather than \b so `user_dob` and `birth_date` count
// Turkish cues take suffixes (`doğum tarihiniz`, `doğum günüm`)
const BIRTH_CUE = /(?<![a-z])(?:dob|d\.o\.b\.?|date[ _-]?of[ _-]?birth|birth[ _-]?date|birthday|b-?day|born|b\.|geb\.|geboren|geburtsdatum|geburtstag|n[ée]e?|date de naissance|fecha de nacimiento|f\. ?nac\.?|nacid[oa]|data di nascita|nat[oa] il|data de nascimento|nascid[oa]|geboortedatum|födelsedatum|fødselsdato|syntymäaika|urodzon[ya]|data urodzenia|doğum (?:tarih|gün)[a-zıüşç]{0,12}|född|födelsedag|født|fødselsdag|fødd|syntynyt|syntymäpäivä|datum narození|narozen[aá]?|dátum narodenia|narodil[a]? sa|datum rođenja|rođen[ao]?|datum rojstva|rojen[a]?|születési (?:dátum|idő)|született|data nașterii|data nasterii|născut[ăa]?|nascut[aă]?|data de naixement|gimimo data|gim[eę]s|dzimšanas datums|sünniaeg|sündinud|tanggal lahir|tanggal kelahiran|tgl\.? lahir|tarikh lahir|lahir|ngày sinh|petsa ng kapanganakan|tarehe ya kuzaliwa|ημερομηνία γέννησ[ηή]ς|ημερομηνια γεννησης|γεννήθηκε|γεννηθεις|дата рождения|дата народження|датум рођења|родил(?:ся|ась)|народил(?:ся|ася)|рођен[ао]?|תאריך (?:ה)?לידה|נולד(?:ה)?|დაბადების თარიღ[ი-ჰ]{0,3}|დაბადებულ[ი-ჰ]{0,3}|जन्म तिथि|जन्मतिथि|जन्म दिनांक|วันเกิด|生年月日|出生日期|出生年月日|誕生日|生日|생년월일|생일|تاريخ الميلاد|تاریخ تولد)(?![a-z])/gi; // no /u: ten times faster
// (not across a sentence end: `Britt är född i Umeå. Mötet är 2024-05-02`)
const GAP = /^[^\d\n]{0,24}$/;
// a question or request for the date, answered at the start of the next line ("agent: can i take your date of birth
// please\ncaller: it's 20 october 1961", "DOB?\n12/03/1985")
// (the answer line: a speaker label, then at most two short words: `caller: it's`, `sure, `)
const QA_GAP = /^[^\d\n]{0,16}(?:\?|please|pls|:)[ \t]*\r?\n(?:[^\s:\d][^:\n\d]{0,20}:[ \t]*)?(?:[^\d\s]{1,6}[ \t]){0,2}$/i;
const SENTENCE_END = /[.!?]\s+[A-ZÀ-ÞА-ЯΑ-Ω]/;
// no /u: month names are plain BMP letters, and /i folds é and ä without it at a tenth of the cost
const DATE_AT = new RegExp(DATE_RE.source, 'i');

function toYear(y: string): number {
  if (y.length === 4) return +y;
  const n = +y;
  return n <= new Date().getUTCFullYear() % 100 ? 2000 + n : 1900 + n;
}

function dateOk(m: RegExpExecArray): boolean {
  if (m[1]) return birthDateOk(toYear(m[3]!), +m[2]!, +m[1]) || birthDateOk(toYear(m[3]!), +m[1], +m[2]!); // d/m/y or m/d/y
  if (m[4]) return birthDateOk(+m[4], +m[5]!, +m[6]!);
  if (m[7]) return birthDateOk(+m[9]!, MONTHS[m[8]!.toLowerCase()] ?? 0, +m[7]);
  if (m[10]) return birthDateOk(+m[12]!, MONTHS[m[10].toLowerCase()] ?? 0, +m[11]!);
  if (m[13]) return birthDateOk(+m[13], +m[14]!, +m[15]!);
  return false;
}

// a whole date in one table cell, quotes and spaces around it allowed
const DATE_CELL = new RegExp(`^\\s*"?(?:${DATE_RE.source})"?\\s*$`, 'i');
const DELIMS = ['\t', ';', '|', ','];
const isDelim = (c: number) => c === 9 || c === 59 || c === 124 || c === 44;
const MAX_ROWS = 10_000; // rows looked at per document, all birth columns together
const MAX_HEADER = 512;

/** The [start, end) of each cell of one line, splitting at `delim` outside double quotes. */
function cells(text: string, from: number, to: number, delim: string): number[] {
  const cuts = [from];
  let quoted = false;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === delim && !quoted) cuts.push(i + 1);
  }
  cuts.push(to + 1);
  return cuts;
}

const MAX_PAD = 40; // spaces a Markdown table pads a header cell with (`| Date of birth     |`)

/**
 * A header cell is the cue alone (quotes and padding spaces allowed: `"dob"`, `| Date of birth |`); prose
 * (`DOB: 1985-…`, `email address is`) is not.
 */
export function headerCell(text: string, cueStart: number, cueEnd: number): boolean {
  let j = cueEnd;
  while (j < text.length && j - cueEnd < MAX_PAD && text.charCodeAt(j) === 32) j++;
  if (text.charCodeAt(j) === 34) j++;
  let i = cueStart;
  while (i > 0 && cueStart - i < MAX_PAD && text.charCodeAt(i - 1) === 32) i--;
  if (i > 0 && text.charCodeAt(i - 1) === 34) i--;
  const next = text.charCodeAt(j);
  const prev = i === 0 ? 10 : text.charCodeAt(i - 1);
  return (next === 10 || next === 13 || isDelim(next) || j === text.length) && (prev === 10 || isDelim(prev));
}

/**
 * A cue that is a column header of a CSV/TSV/pipe table: calls `visit` with the [start, end) of that column's cell in
 * each row below, until the table ends. Each header line is read once (`seen.line`) and at most MAX_ROWS rows per
 * document (`seen.rows`), so a field of cues stays linear.
 */
export function eachColumnCell(text: string, cueStart: number, cueEnd: number, seen: { line: number; rows: number }, visit: (a: number, b: number) => void): void {
  if (!headerCell(text, cueStart, cueEnd)) return;
  // a header line is short: look at most MAX_HEADER characters either side, so a line of cues stays linear
  let ls = cueStart;
  while (ls > 0 && cueStart - ls < MAX_HEADER && text.charCodeAt(ls - 1) !== 10) ls--;
  if (ls > 0 && text.charCodeAt(ls - 1) !== 10) return;
  if (ls === seen.line) return;
  let le = cueEnd;
  while (le < text.length && le - cueEnd < MAX_HEADER && text.charCodeAt(le) !== 10) le++;
  if (text.charCodeAt(le) !== 10) return;
  seen.line = ls;
  const header = text.slice(ls, le);
  const delim = DELIMS.find((d) => header.includes(d));
  if (!delim) return;
  const head = cells(text, ls, le, delim);
  let col = 0;
  while (col + 1 < head.length && head[col + 1]! <= cueStart) col++;
  const cell = text.slice(head[col], head[col + 1]! - 1);
  if (cell.length > 40 || /\d/.test(cell)) return;
  let at = le + 1;
  for (; seen.rows < MAX_ROWS && at < text.length; seen.rows++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (end - at > 4096) return; // not a table row
    const cs = cells(text, at, end, delim);
    if (cs.length !== head.length) return; // the table ended
    visit(cs[col]!, cs[col + 1]! - 1);
    at = end + 1;
  }
}

/** A birth cue as a column header (`dob`, `Geburtsdatum`, `Fecha de nacimiento`): the dates in that column are birth dates. */
function findColumn(text: string, cueStart: number, cueEnd: number, out: Candidate[], seen: { line: number; rows: number }): void {
  eachColumnCell(text, cueStart, cueEnd, seen, (a, b) => {
    const m = DATE_CELL.exec(text.slice(a, b));
    if (!m || !dateOk(m)) return;
    const v = DATE_AT.exec(text.slice(a, b))!;
    out.push({ type: 'DATE_OF_BIRTH', start: a + v.index, end: a + v.index + v[0].length });
  });
}

function cellDate(text: string, a: number, b: number, out: Candidate[]): void {
  if (b - a > 48) return;
  const cell = text.slice(a, b).replace(/'/g, ' ');
  const m = DATE_CELL.exec(cell);
  if (!m || !dateOk(m)) return;
  const v = DATE_AT.exec(cell)!;
  out.push({ type: 'DATE_OF_BIRTH', start: a + v.index, end: a + v.index + v[0].length });
}

const MAX_FIXED_LINE = 512;

/**
 * A cue heading a column of a fixed-width table (a roster, `psql` or report output: columns lined up with runs of
 * spaces): calls `visit` with the [start, end) of the value that starts under it in each row (up to the next run of
 * spaces or the line end). The cue cell stands between runs of 2+ spaces or line ends, on a header line with at least
 * one such run; rows are read until a blank or short line, each header once, MAX_ROWS per document.
 */
export function eachFixedColumnCell(text: string, cueStart: number, cueEnd: number, seen: { line: number; rows: number }, visit: (a: number, b: number) => void): void {
  const wide = (at: number) => text.charCodeAt(at) === 32 && text.charCodeAt(at + 1) === 32;
  if (!(cueStart === 0 || text.charCodeAt(cueStart - 1) === 10 || (cueStart >= 2 && wide(cueStart - 2)))) return;
  const after = text.charCodeAt(cueEnd);
  if (!(cueEnd === text.length || after === 10 || after === 13 || wide(cueEnd))) return;
  let ls = cueStart;
  while (ls > 0 && cueStart - ls < MAX_FIXED_LINE && text.charCodeAt(ls - 1) !== 10) ls--;
  if (ls > 0 && text.charCodeAt(ls - 1) !== 10) return;
  const le = text.indexOf('\n', cueEnd);
  if (le < 0 || le - ls > MAX_FIXED_LINE || ls === seen.line) return;
  if (!/\S {2,}(?=\S)/.test(text.slice(ls, le)) || /\d/.test(text.slice(cueStart, cueEnd))) return;
  seen.line = ls;
  const col = cueStart - ls;
  let at = le + 1;
  for (; seen.rows < MAX_ROWS && at < text.length; seen.rows++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    if (end - at <= col || end - at > MAX_FIXED_LINE) return; // the table ended
    // the value starts at the column, or a character or two before it (a wide neighbour pushed it)
    let v = at + col;
    while (v > at + col - 2 && text.charCodeAt(v - 1) !== 32) v--;
    if (v === at || text.charCodeAt(v - 1) === 32) {
      while (v < end && text.charCodeAt(v) === 32) v++;
      let e = v;
      while (e < end && !wide(e) && text.charCodeAt(e) !== 13) e++;
      if (e > v && v - at < col + 4) visit(v, e);
    }
    at = end + 1;
  }
}

/** A birth cue heading a fixed-width column: the dates that start under it are birth dates. */
function findFixedColumn(text: string, cueStart: number, cueEnd: number, out: Candidate[], seen: { line: number; rows: number }): void {
  eachFixedColumnCell(text, cueStart, cueEnd, seen, (a, b) => {
    const m = DATE_AT.exec(text.slice(a, Math.min(b, a + 40)));
    if (m && m.index === 0 && dateOk(m)) out.push({ type: 'DATE_OF_BIRTH', start: a, end: a + m[0].length });
  });
}

function find(text: string, out: Candidate[]): void {
  let floor = 0;
  const seen = { line: -1, rows: 0 };
  const sql = sqlScan(text);
  eachMatch(BIRTH_CUE, text, (c) => {
    const from = c.index + c[0].length;
    if (headerCell(text, c.index, from)) findColumn(text, c.index, from, out, seen);
    else findFixedColumn(text, c.index, from, out, seen);
    // (a column name in an INSERT's list: the date right after it in the text is another column's)
    if (eachSqlColumnCell(text, c.index, from, sql, (a, b) => cellDate(text, a, b, out)) || from < floor) return;
    const win = text.slice(from, from + 64);
    const m = DATE_AT.exec(win);
    if (!m || !dateOk(m)) return;
    const gap = win.slice(0, m.index);
    if ((!GAP.test(gap) || SENTENCE_END.test(gap)) && !QA_GAP.test(gap)) return;
    out.push({ type: 'DATE_OF_BIRTH', start: from + m.index, end: (floor = from + m.index + m[0].length) });
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** One token per date however it is written, when the date is unambiguous (ISO, month in words, or a day over 12). */
export function normaliseBirthDate(raw: string): string {
  const m = DATE_AT.exec(raw.trim());
  if (!m || m.index !== 0) return raw.trim();
  let y = 0, mo = 0, d = 0;
  if (m[1]) {
    const a = +m[1], b = +m[2]!;
    y = toYear(m[3]!);
    if (a > 12 && b <= 12) [d, mo] = [a, b];
    else if (b > 12 && a <= 12) [d, mo] = [b, a];
    else if (a === b) [d, mo] = [a, b];
    else return `${pad(a)}/${pad(b)}/${y}`; // 03/04/1985: day and month cannot be told apart
  } else if (m[4]) [y, mo, d] = [+m[4], +m[5]!, +m[6]!];
  else if (m[7]) [y, mo, d] = [+m[9]!, MONTHS[m[8]!.toLowerCase()] ?? 0, +m[7]];
  else if (m[10]) [y, mo, d] = [+m[12]!, MONTHS[m[10].toLowerCase()] ?? 0, +m[11]!];
  else if (m[13]) [y, mo, d] = [+m[13], +m[14]!, +m[15]!];
  return `${y}-${pad(mo)}-${pad(d)}`;
}

export default defineEntity({
  type: 'DATE_OF_BIRTH',
  rank: 70,
  description: 'A date of birth: a full date (numeric, with the month written in English, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Czech, Russian, Ukrainian, Greek, the Nordic languages, Finnish, Indonesian, Turkish, Romanian or Catalan, or with the CJK signs 年月日) right after a birth cue, or in the birth column of a table (CSV, TSV, pipe, Markdown or fixed-width) or of an SQL INSERT.',
  validator: 'a real calendar date with a year from 1900 to now (day/month or month/day)',
  context: 'a birth cue just before, in the same sentence (DOB, BDAY, born, date of birth, birthday, geb., geboren, né(e), fecha de nacimiento, data di nascita, urodzony, född, дата рождения, ημερομηνία γέννησης, תאריך לידה, დაბადების თარიღი, tanggal lahir, ngày sinh, doğum tarihi, 生年月日, 出生日期...), a birth-date column header above the date in a CSV/TSV/pipe/Markdown table, or a birth column in an SQL INSERT column list',
  lookalike: 'due 2026-03-10, created 12/03/1985, DOB on file',
  find: (text, out, ctx) => {
    if (ctx.hasDigit) find(text, out);
  },
  normalise: normaliseBirthDate,
});
