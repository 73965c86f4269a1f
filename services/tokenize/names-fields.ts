/**
 * PERSON values that a structure labels as names, with no lexicon: JSON/YAML/key=value fields (`"name": "…"`,
 * `last_name=…`, `Nachname: …`), vCard N: and FN:, CSV/TSV columns under a name header, e-mail From/To/Cc display
 * names ("Last, First" too), chat speakers after a timestamp (`(09:15) Ann:`, `[10:02] <ann>`), screenplay character
 * cues (an upper-case line between a blank line and dialogue) and forum quote headers (`Quote from …:`,
 * `On <date>, … wrote:`). A name found so is also taken where the same word recurs in the text.
 * Precision rests on the value's shape: 1-4 words of letters (particles allowed), no digits or code punctuation, no
 * ordinary word (names-words.ts) for keys that may hold a product (`name`, `owner`), and two capitalised words or a
 * caseless script there; keys that only ever hold a person (`first_name`, `surname`, vCard N) take one word.
 * Work is bounded per line (line, value and cell lengths are capped): linear in the text.
 * Known gaps: a name field whose value is nested (`"customer": {"name": …}` is found through `name`, but a name under
 * an unknown key is not); one-word values under generic keys; lower-case names outside chat nick brackets.
 */
import type { NameSpan } from './names.js';
import { COMMON_WORDS } from './names-words.js';
import { BOTH, COMMON as LEX_COMMON, GIVEN, PLACE, SURNAME } from './names-lexicon.js';

const COMMON = new Set(COMMON_WORDS.split(' '));
const PLACES = new Set(PLACE.split('|'));
// words that make a capitalised pair a firm, team or machine rather than a person
const ORG = new Set(`inc corp corporation co ltd llc llp plc gmbh ag sa sas srl spa bv nv oy ab kk pty limited group team
  teams labs lab studio studios systems solutions services technologies tech software consulting partners holdings
  foundation institute university college school bank capital ventures media press records department dept office
  support admin administrator bot robot server build deploy deployment pipeline runner worker daemon service cluster
  node docs modules plugin plugins package packages library framework toolkit tools sdk api app apps cli`.split(/\s+/));
const NICK_STOP = new Set('bot admin root sysop operator server system guest user nobody chanserv nickserv info ops bridge relay'.split(' '));
let lexicon: Set<string> | null = null;
/** Whether a word is a given name or surname in the lexicon (built on first use: most texts never ask). */
let givenNames: Set<string> | null = null;
/** Whether a word is a given name in the lexicon (a bare `name` field must start with one: `Apache Kafka` does not). */
function isGiven(low: string): boolean {
  givenNames ??= new Set(`${GIVEN} ${BOTH}`.split(' '));
  return givenNames.has(low);
}
function inLexicon(low: string): boolean {
  lexicon ??= new Set(`${GIVEN} ${SURNAME} ${BOTH}`.split(' '));
  return lexicon.has(low);
}

/** Keys (lower case, separators removed) whose value is a person's name or part of one: one word is enough. */
const PERSON_KEYS = new Set(
  `firstname givenname lastname familyname surname forename middlename fullname customername clientname patientname
  employeename contactname contactperson personname holdername cardholder cardholdername accountholder recipientname
  sendername ownername authorname reportername assigneename username_full legalname birthname maidenname nickname
  vorname nachname familienname rufname nombre nombres apellido apellidos nombrecompleto prénom prenom nomdefamille
  nomcomplet nom cognome nome nomecompleto sobrenome naam voornaam achternaam imię imie nazwisko imięinazwisko jméno
  příjmení név vezetéknév keresztnév namn förnamn efternamn fornavn etternavn efternavn mellemnavn etunimi sukunimi
  ad soyad soyadı adsoyad adısoyadı όνομα επώνυμο ονοματεπώνυμο tên họtên họvàtên имя фамилия отчество фио імя ім'я
  прізвище שם שםמלא שםפרטי שםמשפחה اسم الاسم الاسمالكامل اسمالعائلة نام نامخانوادگی 姓名 氏名 名前 姓 名 联系人 이름 성명`.split(/\s+/),
);
/** Keys that name things of any kind (a package, a CI job, a product): a lexicon name or a caseless script is needed. */
const NAME_KEYS = new Set('name names displayname person user'.split(' '));
/** Keys that often hold a person but may hold a product, team or package: the value must look like a full name. */
const GENERIC_KEYS = new Set(
  `contact customer client owner author reporter assignee recipient sender patient employee
  person user createdby updatedby modifiedby requestedby approvedby submittedby reviewedby preparedby signedby
  reviewer approver maintainer manager agent driver passenger guest tenant landlord member applicant candidate buyer
  seller contributor beneficiary witness attendee speaker participant emergencycontact nextofkin spouse guardian
  kunde kundin ansprechpartner mitarbeiter autor verfasser empfänger absender cliente destinatario remitente paciente
  empleado contacto destinataire expéditeur interlocuteur klant contactpersoon ontvanger afzender klient pacjent
  odbiorca nadawca pracownik клиент контакт пациент сотрудник получатель отправитель`.split(/\s+/),
);

const CAP_WORD = /^(?:\p{Lu}\p{M}*(?:['’]\p{Lu})?[\p{Ll}\p{M}]+|Ma?c\p{Lu}[\p{Ll}\p{M}]+|\p{Lu}['’]\p{Lu}[\p{Ll}\p{M}]+)(?:-\p{Lu}[\p{Ll}\p{M}]+|-[\p{Ll}]{1,3}-\p{Lu}[\p{Ll}\p{M}]+)*$/u;
const UPPER_WORD = /^\p{Lu}[\p{Lu}\p{M}'’-]*\p{Lu}$/u;
const LOWER_WORD = /^[\p{Ll}\p{M}]+(?:['’-][\p{Ll}\p{M}]+)*$/u;
const CASELESS_WORD = /^[\p{Lo}\p{M}\u200c\u200d'’-]+$/u;
const INITIAL = /^\p{Lu}\.?$/u;
const PARTICLES = new Set('van von der den de del della di da du le la los las dos das ter ten te bin ibn al el ben bint abu ap af zu mac mc st y e'.split(' '));
const NO_NAME_CHAR = /[\d@_/\\:#$%&*+=<>{}[\]|~^`]/;

const enum Key { None, Person, Generic, Name }
const MAX_VALUE = 80;
const MAX_LINE = 4096;

/** Last three letters (lower case) of every key: most words before a colon end otherwise and are dropped here. */
const KEY_TAILS = new Set([...PERSON_KEYS, ...GENERIC_KEYS, ...NAME_KEYS].map((k) => k.slice(-3)));

const KEY_TAIL2 = new Set<number>();
for (const k of [...PERSON_KEYS, ...GENERIC_KEYS, ...NAME_KEYS]) {
  const a = k.charCodeAt(k.length - 2) | 32;
  const b = k.charCodeAt(k.length - 1) | 32;
  if (k.length >= 2 && a < 128 && b < 128) KEY_TAIL2.add(a * 128 + b);
}

function keyKind(raw: string): Key {
  const k = raw.toLowerCase().replace(/[\s_.\-‐]+/g, '');
  if (PERSON_KEYS.has(k)) return Key.Person;
  if (NAME_KEYS.has(k)) return Key.Name;
  if (GENERIC_KEYS.has(k)) return Key.Generic;
  return Key.None;
}

/**
 * Whether `v` (trimmed) is shaped like a name. `strict`: a key that may hold a product — two capitalised words or a
 * caseless script, and no ordinary word. `upper`: all-caps words accepted (screenplay cues, vCard exports).
 */
export function nameShaped(v: string, strict: boolean, upper = false, lex = false): boolean {
  if (v.length < 2 || v.length > MAX_VALUE || NO_NAME_CHAR.test(v)) return false;
  const words = v.split(/\s+/);
  if (words.length > 5) return false;
  let core = 0;
  let cap = 0;
  let caseless = false;
  let common = 0;
  let known = false;
  for (const w0 of words) {
    const w = w0.endsWith(',') ? w0.slice(0, -1) : w0;
    if (w === '' || /^[.,'’-]/.test(w)) return false;
    const low = w.toLowerCase();
    if (PARTICLES.has(low) && LOWER_WORD.test(w)) continue;
    if (INITIAL.test(w)) {
      core++;
      continue;
    }
    if (CAP_WORD.test(w) || (upper && UPPER_WORD.test(w))) cap++;
    else if (CASELESS_WORD.test(w)) caseless = true;
    else return false;
    core++;
    if (ORG.has(low)) return false;
    if (COMMON.has(low)) common++;
    if (lex && core === 1) known = isGiven(low);
  }
  if (core === 0 || core > 4) return false;
  if (PLACES.has(v.toLowerCase())) return false;
  if (lex && !known && !caseless) return false;
  if (strict) return common === 0 && (cap >= 2 || (caseless && cap === 0));
  return common < core;
}

// a record about a person: its other fields are contact details
const PERSON_SIBLING = /(?:phone|tel|mobile|cell|e-?mail|address|birth|dob|gender|customer|patient|contact|employee|telefon|teléfono|téléphone|dirección|adresse|indirizzo|телефон|адрес)[\p{L}_ -]{0,16}["']?\s{0,3}[:=]/iu;
/** `at`: where the value starts, to look at the record around a bare `name` field. */
function valueOk(v: string, k: Key, text: string, at: number): boolean {
  if (k === Key.Person) return nameShaped(v, false, true);
  // `owner`, `name` name anything (a team, a package, a product: "Blue Ocean"): no value made only of words that are
  // ordinary words too (the lexicon's given names that are also words count as such here)
  if (!nameShaped(v, true) || allOrdinary(v)) return false;
  if (k === Key.Generic) return true;
  // `name`: a lexicon given name first, or a record whose other fields are a person's
  return nameShaped(v, true, false, true) || PERSON_SIBLING.test(text.slice(Math.max(0, at - 240), at + 240));
}

let lexCommon: Set<string> | null = null;
/** Every word of `v` is an ordinary word in some language (the lexicon's list of names that are also words). */
function allOrdinary(v: string): boolean {
  lexCommon ??= new Set(LEX_COMMON.split(' '));
  for (const w of v.split(/\s+/)) {
    const low = w.replace(/,$/, '').toLowerCase();
    if (low && !PARTICLES.has(low) && !lexCommon.has(low) && !COMMON.has(low)) return false;
  }
  return true;
}

function push(out: NameSpan[], text: string, start: number, end: number): void {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /[\s,]/.test(text[end - 1]!)) end--;
  if (end > start) out.push({ start, end });
}

/** Field values after `key:` / `key=` / `"key": "…"`, the key found by looking back from the separator. */
function scanKeyValues(text: string, out: NameSpan[]): void {
  for (const sep of [':', '=', '：']) {
    let i = text.indexOf(sep);
    while (i !== -1) {
      keyValue(text, i, out);
      i = text.indexOf(sep, i + 1);
    }
  }
}

const KEY_CHAR = /[\p{L}\p{M}_.'’ -]/u;
const isKeyChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 32 || c === 45 || c === 46 || c === 39 || (c > 127 && KEY_CHAR.test(String.fromCharCode(c)));

function keyValue(text: string, at: number, out: NameSpan[]): void {
  let e = at;
  let c = text.charCodeAt(e - 1);
  if (c === 34 || c === 39) c = text.charCodeAt(--e - 1);
  // most colons and equals signs follow no key (URLs, times, code): out before any work
  if (!(c >= 97 && c <= 122) && !(c >= 65 && c <= 90) && !(c > 127 && KEY_CHAR.test(String.fromCharCode(c)))) return;
  if (text.charCodeAt(at + 1) === 47) return;
  let te = e;
  while (te > 0 && e - te < 16 && text.charCodeAt(te - 1) === 32) te--;
  // the last two letters, when ASCII, as one number: no string made for the many colons after other words
  const a = text.charCodeAt(te - 2) | 32;
  const b = text.charCodeAt(te - 1) | 32;
  if (a < 128 && b < 128 && !KEY_TAIL2.has(a * 128 + b)) return;
  const tail = text.slice(Math.max(0, te - 3), te).toLowerCase();
  if (!KEY_TAILS.has(tail) && !KEY_TAILS.has(tail.slice(1)) && !KEY_TAILS.has(tail.slice(2))) return;
  let s = e;
  while (s > 0 && e - s < 32 && isKeyChar(text.charCodeAt(s - 1))) s--;
  if (s === e || (s > 0 && e - s >= 32)) return;
  let key = text.slice(s, e).trim().replace(/^['’]+/, '');
  if (key === '') return;
  let kind = keyKind(key);
  if (kind === Key.None) {
    // prose before a label ("Please send it to the customer name:"): the last one or two words may be the key
    const words = key.split(/\s+/);
    if (words.length < 2) return;
    kind = keyKind(words.slice(-2).join(' '));
    if (kind === Key.None) return;
    key = words.slice(-2).join(' ');
  }
  // the value: after blanks (aligned columns allowed), quoted, else to the end of the field
  let v = at + 1;
  while (v < text.length && v - at <= 16 && (text[v] === ' ' || text[v] === '\t')) v++;
  const q = text[v];
  let vs: number;
  let ve: number;
  if (q === '"' || q === "'" || q === '“') {
    vs = v + 1;
    const close = q === '“' ? '”' : q;
    ve = vs;
    while (ve < text.length && ve - vs <= MAX_VALUE && text[ve] !== close && text[ve] !== '\n') ve++;
    if (text[ve] !== close) return;
    // npm's "Name <mail> (url)" person string
    const lt = indexIn(text, '<', vs, ve);
    const paren = indexIn(text, '(', vs, lt === -1 ? ve : lt);
    if (paren !== -1) ve = paren;
    else if (lt !== -1) ve = lt;
  } else {
    vs = v;
    ve = vs;
    while (ve < text.length && ve - vs <= MAX_VALUE && !STOP.has(text[ve]!)) ve++;
    if (ve - vs > MAX_VALUE) return;
  }
  const val = text.slice(vs, ve).trim();
  if (val.length < 2) return;
  if (text.charCodeAt(ve) === 44 && lastFirst(text, val, kind, vs, ve, out)) return;
  if (valueOk(val, kind, text, vs)) push(out, text, vs, ve);
}

const ONE_WORD = /^[\p{L}\p{M}'’-]+$/u;
const ONE_OR_TWO = /^[\p{L}\p{M}'’-]+(?: [\p{L}\p{M}'’-]+)?$/u;

/**
 * `Name: Vellaby, Quorin` (a register's "Last, First"): one surname word, a comma, one or two given-name words that
 * end the field. Judged as the full name "Quorin Vellaby" would be; both parts are pushed.
 */
function lastFirst(text: string, last: string, kind: Key, vs: number, ve: number, out: NameSpan[]): boolean {
  if (!ONE_WORD.test(last)) return false;
  let fs = ve + 1;
  if (text.charCodeAt(fs) === 32) fs++;
  let fe = fs;
  while (fe < text.length && fe - fs <= 40 && !STOP.has(text[fe]!)) fe++;
  // the field ends here (a further comma is a list: "Attendee: Vellaby, Quorin, Ilvo")
  if (fe - fs > 40 || text.charCodeAt(fe) === 44) return false;
  const first = text.slice(fs, fe).trim();
  if (!ONE_OR_TWO.test(first)) return false;
  // a key that may hold a firm or a place ("customer: Berlin, Germany") needs a known given name after the comma (the
  // record around is no evidence: its own key is already a person's)
  const full = `${first} ${last}`;
  if (kind === Key.Person ? !nameShaped(full, false, true) : !nameShaped(full, true, false, true) || allOrdinary(full)) return false;
  push(out, text, vs, ve);
  push(out, text, fs, fe);
  return true;
}
const STOP = new Set([',', ';', '&', '}', ']', '<', '(', '\t', '|', '\n', '\r', '"']);

/** `text.indexOf(ch, from)` that looks no further than `end` (else a line without `ch` would scan the rest of the text). */
function indexIn(text: string, ch: string, from: number, end: number): number {
  const c = ch.charCodeAt(0);
  for (let i = from; i < end; i++) if (text.charCodeAt(i) === c) return i;
  return -1;
}

interface Line {
  s: number;
  e: number;
}

function lines(text: string): Line[] {
  const ls: Line[] = [];
  let s = 0;
  for (;;) {
    const nl = text.indexOf('\n', s);
    const e = nl === -1 ? text.length : nl;
    ls.push({ s, e: e > s && text[e - 1] === '\r' ? e - 1 : e });
    if (nl === -1) return ls;
    s = nl + 1;
  }
}

/** Cells of a delimited line, quote-aware; null past the cell bound. */
function cells(text: string, l: Line, d: string): { s: number; e: number }[] | null {
  const cs: { s: number; e: number }[] = [];
  let i = l.s;
  while (i <= l.e) {
    if (cs.length >= 64) return null;
    if (text[i] === '"') {
      const close = indexIn(text, '"', i + 1, l.e);
      if (close === -1) return null;
      cs.push({ s: i + 1, e: close });
      i = close + 1;
      if (i < l.e && text[i] !== d) return null;
      i++;
      continue;
    }
    let j = indexIn(text, d, i, l.e);
    if (j === -1) j = l.e;
    cs.push({ s: i, e: j });
    i = j + 1;
  }
  return cs;
}

const HEADER_CELL = /^[\p{L}\p{M}_ .'’-]{1,40}$/u;

function scanCsv(text: string, ls: Line[], out: NameSpan[]): void {
  for (let k = 0; k < ls.length - 1; k++) {
    const l = ls[k]!;
    if (l.e - l.s > MAX_LINE || l.e - l.s < 3) continue;
    // one pass: a header has no digit; its delimiter is the commonest of , ; tab |
    let comma = 0, semi = 0, tab = 0, bar = 0, digit = false;
    for (let i = l.s; i < l.e; i++) {
      const ch = text.charCodeAt(i);
      if (ch >= 48 && ch <= 57) {
        digit = true;
        break;
      }
      if (ch === 44) comma++;
      else if (ch === 59) semi++;
      else if (ch === 9) tab++;
      else if (ch === 124) bar++;
    }
    if (digit) continue;
    const best = Math.max(comma, semi, tab, bar);
    const d = best === comma ? ',' : best === semi ? ';' : best === tab ? '\t' : '|';
    if (best === 0) continue;
    const head = cells(text, l, d);
    if (!head || head.length < 2) continue;
    const kinds = head.map((c) => {
      const h = text.slice(c.s, c.e).trim();
      return HEADER_CELL.test(h) && h.split(/\s+/).length <= 3 ? keyKind(h) : -1;
    });
    if (kinds.some((x) => x === -1) || !kinds.some((x) => x !== Key.None)) continue;
    // the verdict on a cell depends on its column's kind and its value only (the record looked at is around the
    // header): a table that repeats its values (a megabyte of rows) asks once per distinct one
    const seen = kinds.map(() => new Map<string, boolean>());
    let r = k + 1;
    for (; r < ls.length; r++) {
      const row = ls[r]!;
      if (row.e - row.s > MAX_LINE) break;
      const cs = cells(text, row, d);
      if (!cs || cs.length !== head.length) break;
      for (let c = 0; c < cs.length; c++) {
        if (kinds[c] === Key.None) continue;
        const val = text.slice(cs[c]!.s, cs[c]!.e).trim();
        const memo = seen[c]!;
        let ok = memo.get(val);
        if (ok === undefined) {
          ok = valueOk(val, kinds[c] as Key, text, l.s);
          if (memo.size < 1024) memo.set(val, ok);
        }
        if (ok) push(out, text, cs[c]!.s, cs[c]!.e);
      }
    }
    k = r - 1;
  }
}

const VCARD_LINE = /^(?:item\d+\.)?(N|FN)(?:;[^:\n]{0,80})?:(.{1,200})$/i;

function scanVcard(text: string, ls: Line[], out: NameSpan[]): void {
  for (const l of ls) {
    const c = text.charCodeAt(l.s);
    if (c !== 78 && c !== 70 && c !== 110 && c !== 102 && c !== 105) continue;
    const m = VCARD_LINE.exec(text.slice(l.s, l.e));
    if (!m) continue;
    const vs = l.e - m[2]!.length;
    if (m[1]!.toUpperCase() === 'FN') {
      if (nameShaped(m[2]!.trim(), false, true)) push(out, text, vs, l.e);
      continue;
    }
    // N: family;given;additional;prefix;suffix — the first three are name parts
    let s = vs;
    for (let part = 0; part < 3 && s <= l.e; part++) {
      let e = indexIn(text, ';', s, l.e);
      if (e === -1) e = l.e;
      for (const w of splitComma(text, s, e)) if (nameShaped(text.slice(w.s, w.e).trim(), false, true)) push(out, text, w.s, w.e);
      s = e + 1;
    }
  }
}

const ICS_PROP = /^(?:ATTENDEE|ORGANIZER);/i;

/**
 * iCalendar `ATTENDEE;CN=Name;ROLE=…:mailto:…`, `ORGANIZER;CN="Name":mailto:…`: the CN parameter holds the display
 * name of a person, like vCard FN (read in the first 400 characters of the line: parameters come before the value).
 */
function scanIcs(text: string, ls: Line[], out: NameSpan[]): void {
  for (const l of ls) {
    const c = text.charCodeAt(l.s);
    if (c !== 65 && c !== 97 && c !== 79 && c !== 111) continue;
    const end = Math.min(l.e, l.s + 400);
    const line = text.slice(l.s, end);
    if (!ICS_PROP.test(line)) continue;
    const up = line.toUpperCase();
    const at = up.indexOf(';CN=');
    if (at === -1) continue;
    let vs = l.s + at + 4;
    let ve: number;
    if (text.charCodeAt(vs) === 34) {
      vs++;
      ve = indexIn(text, '"', vs, end);
    } else {
      const semi = indexIn(text, ';', vs, end);
      const col = indexIn(text, ':', vs, end);
      ve = semi === -1 ? col : col === -1 ? semi : Math.min(semi, col);
    }
    if (ve === -1 || ve <= vs) continue;
    const v = text.slice(vs, ve);
    const t = v.trim();
    if (nameShaped(t, false, true)) {
      const s0 = vs + v.indexOf(t);
      push(out, text, s0, s0 + t.length);
    }
  }
}

function splitComma(text: string, s: number, e: number): { s: number; e: number }[] {
  const r: { s: number; e: number }[] = [];
  let i = s;
  while (i <= e) {
    let j = indexIn(text, ',', i, e);
    if (j === -1) j = e;
    if (j > i) r.push({ s: i, e: j });
    i = j + 1;
  }
  return r;
}

const MAIL_FIRST = new Set('fFtTcCbBrRsSvVaAdDpPàoOå'.split(''));
const MAIL_HEADER = /^(?:from|to|cc|bcc|reply-to|sender|von|an|kopie|de|para|à|van|aan|od|do|från|till)\s{0,3}:\s{0,8}/i;

function scanMailHeaders(text: string, ls: Line[], out: NameSpan[]): void {
  for (const l of ls) {
    if (l.e - l.s > MAX_LINE || l.e - l.s < 4 || !MAIL_FIRST.has(text[l.s]!) || indexIn(text, ':', l.s + 1, Math.min(l.e, l.s + 12)) === -1) continue;
    const m = MAIL_HEADER.exec(text.slice(l.s, Math.min(l.e, l.s + 24)));
    if (!m) continue;
    let i = l.s + m[0].length;
    const hasAddr = text.slice(i, l.e).includes('@');
    // addresses separated by commas outside quotes and angle brackets
    while (i < l.e) {
      while (i < l.e && (text[i] === ' ' || text[i] === ',' || text[i] === ';')) i++;
      if (i >= l.e) break;
      if (text[i] === '"') {
        const close = indexIn(text, '"', i + 1, l.e);
        if (close === -1) break;
        const inner = text.slice(i + 1, close);
        const comma = inner.indexOf(',');
        if (comma !== -1) {
          // "Last, First": each side a name
          const a = inner.slice(0, comma).trim();
          const b = inner.slice(comma + 1).trim();
          if (nameShaped(a, false) && nameShaped(b, false) && a.split(/\s+/).length <= 3 && b.split(/\s+/).length <= 3) push(out, text, i + 1, close);
        } else if (nameShaped(inner.trim(), true)) push(out, text, i + 1, close);
        i = close + 1;
        const gt = indexIn(text, '>', i, l.e);
        if (text.slice(i, i + 3).trim().startsWith('<') && gt !== -1) i = gt + 1;
        continue;
      }
      let j = i;
      while (j < l.e && text[j] !== ',' && text[j] !== ';' && text[j] !== '<') j++;
      if (text[j] === '<') {
        if (nameShaped(text.slice(i, j).trim(), true)) push(out, text, i, j);
        const gt = indexIn(text, '>', j, l.e);
        i = gt === -1 ? l.e : gt + 1;
        continue;
      }
      // a bare display name with no address anywhere on the line (Outlook's printed headers)
      if (!hasAddr && nameShaped(text.slice(i, j).trim(), true)) push(out, text, i, j);
      i = j + 1;
    }
  }
}

// (09:15) Ann:  [10:02] <ann>  12:01 Ann Lee:  [2025-05-22 10:02:11] <ann>
const STAMP = /^\s{0,4}(?:[[(]\s?)?(?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?(?:\s?[\])])?\s{1,3}(?:<([^<>\s]{2,32})>|([^:<>\n]{1,40}?)\s?:(?:\s|$))/iu;
const NICK = /^[\p{L}\p{M}]{2,24}$/u;
const HEADER_STAMP = /^([\p{L}\p{M}][\p{L}\p{M}'’. -]{1,40}?)(?:[ \t]{2,}|[ \t][—–·][ \t])\d{1,2}:\d{2}$/u;

function scanSpeakers(text: string, ls: Line[], out: NameSpan[]): void {
  for (const l of ls) {
    if (l.e - l.s < 6) continue;
    const c = text.charCodeAt(l.s);
    if (!(c === 40 || c === 91 || (c >= 48 && c <= 57) || c === 32)) {
      // a chat client's message header, the author then the time ("Terese Silfverberg  10:32", "王宝钗  20:19")
      if (l.e - l.s <= 60 && text.charCodeAt(l.e - 3) === 58) {
        const h = HEADER_STAMP.exec(text.slice(l.s, l.e));
        if (h && nameShaped(h[1]!, true)) push(out, text, l.s, l.s + h[1]!.length);
      }
      continue;
    }
    const line = text.slice(l.s, Math.min(l.e, l.s + 120));
    const m = STAMP.exec(line);
    if (!m) continue;
    if (m[1] !== undefined) {
      const nick = m[1];
      if (NICK.test(nick) && !COMMON.has(nick.toLowerCase()) && !NICK_STOP.has(nick.toLowerCase())) {
        const at = l.s + m[0].length - nick.length - 1;
        push(out, text, at, at + nick.length);
      }
    } else {
      const who = m[2]!.trim();
      const at = l.s + m[0].lastIndexOf(m[2]!);
      if (nameShaped(who, who.includes(' '))) push(out, text, at, at + m[2]!.length);
    }
  }
}

const CUE_PAREN = /\s?\((?:v\.?o\.?|o\.?s\.?|o\.?c\.?|cont'?d|cont’d|contd)\)\s*$/i;

function scanScreenplay(text: string, ls: Line[], out: NameSpan[]): void {
  const found: NameSpan[] = [];
  for (let k = 0; k < ls.length - 1; k++) {
    const l = ls[k]!;
    if (l.e - l.s < 2 || l.e - l.s > 40) continue;
    if (k > 0 && ls[k - 1]!.e > ls[k - 1]!.s && text.slice(ls[k - 1]!.s, ls[k - 1]!.e).trim() !== '') continue;
    const raw = text.slice(l.s, l.e);
    const cue = raw.replace(CUE_PAREN, '').trim();
    if (cue.length < 2 || cue !== cue.toUpperCase() || cue === cue.toLowerCase()) continue;
    const next = text.slice(ls[k + 1]!.s, ls[k + 1]!.e).trim();
    if (next === '' || next === next.toUpperCase()) continue;
    const words = cue.split(/\s+/);
    if (words.length > 3 || !words.every((w) => UPPER_WORD.test(w) && !COMMON.has(w.toLowerCase()))) continue;
    if (!nameShaped(cue, false, true)) continue;
    const s = l.s + raw.indexOf(cue);
    found.push({ start: s, end: s + cue.length });
  }
  // an upper-case line before a paragraph is a heading as often as a cue (NOTE, FAQ): a script has several cues, and
  // a scene heading or a cue the lexicon knows
  if (found.length < 2) return;
  if (!/^(?:INT|EXT)\.\s/m.test(text) && !found.some((f) => text.slice(f.start, f.end).split(/\s+/).some((w) => inLexicon(w.toLowerCase())))) return;
  out.push(...found);
}

// Quote from Ann Lee:   > On 2026-02-19, Ann Lee wrote:
const QUOTE_HEAD = /^[\s>]{0,8}(?:quote from|quoting|zitat von|citation de|cita de)\s(.{2,60}?):?\s*$|^[\s>]{0,8}(?:on|am|le|el|il|op)\s[^,\n]{4,48},\s(.{2,60}?)\s(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef)\s?:\s*$/iu;

function scanQuoteHeads(text: string, ls: Line[], out: NameSpan[]): void {
  for (const l of ls) {
    if (l.e - l.s < 8 || l.e - l.s > 160) continue;
    const line = text.slice(l.s, l.e);
    const m = QUOTE_HEAD.exec(line);
    if (!m) continue;
    const who = (m[1] ?? m[2])!;
    if (!nameShaped(who.trim(), false)) continue;
    const at = l.s + (m[1] !== undefined ? line.lastIndexOf(who) : line.lastIndexOf(who, line.length - 6));
    push(out, text, at, at + who.length);
  }
}

const MENTION = /^[\p{L}\p{M}]{2,24}/u;
// Java/Kotlin annotations and chat handles that the lexicon also holds as names
const MENTION_STOP = new Set('valid min max tag singleton param dev devs mod mods channel here everyone'.split(' '));

/**
 * `@Name` addressed in a thread. Code uses the same shape (`@Autowired`, `@Override`) and handles are any word, so
 * only a capitalised lexicon name that is no ordinary word counts.
 */
function scanMentions(text: string, out: NameSpan[]): void {
  let i = text.indexOf('@');
  while (i !== -1) {
    const prev = i === 0 ? 32 : text.charCodeAt(i - 1);
    if (prev === 32 || prev === 10 || prev === 9 || prev === 40) {
      const m = MENTION.exec(text.slice(i + 1, i + 26));
      const after = text.charCodeAt(i + 1 + (m?.[0].length ?? 0));
      // a handle runs into dots, digits, slashes (@scope/pkg, @user.name): not a bare name
      if (m && CAP_WORD.test(m[0]) && !(after === 46 && /\w/.test(text[i + 2 + m[0].length] ?? '')) && !(after >= 48 && after <= 57) && after !== 47 && after !== 95 && after !== 40) {
        const low = m[0].toLowerCase();
        if (!COMMON.has(low) && !ORG.has(low) && !MENTION_STOP.has(low) && inLexicon(low)) out.push({ start: i + 1, end: i + 1 + m[0].length });
      } else if (m && after === 32 && /^\p{L}/u.test(text[i + 2 + m[0].length] ?? '') &&
        ((LOWER_WORD.test(m[0]) && isGiven(m[0]) && !COMMON.has(m[0]) && !ORG.has(m[0]) && !MENTION_STOP.has(m[0])) || (CASELESS_WORD.test(m[0]) && m[0].length <= 12))) {
        // "@yuki can you take it?", "@성호 can you …": a chat handle that is a given name, or written in a caseless
        // script, addressing someone (a word follows; CSS at-rules and decorators are no given names)
        out.push({ start: i + 1, end: i + 1 + m[0].length });
      }
    }
    i = text.indexOf('@', i + 1);
  }
}

const WORD_RE = /[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu;

/** Other whole-word occurrences of single words found above (same spelling, or Title case of an upper-case cue). */
function propagate(text: string, found: NameSpan[], out: NameSpan[]): void {
  const words = new Set<string>();
  for (const f of found) {
    for (const w of text.slice(f.start, f.end).split(/[\s,]+/)) {
      if (w.length < 3 || words.size >= 256 || PARTICLES.has(w.toLowerCase()) || COMMON.has(w.toLowerCase())) continue;
      words.add(w);
      if (UPPER_WORD.test(w)) words.add(w[0] + w.slice(1).toLowerCase());
    }
  }
  if (words.size === 0) return;
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(text); m; m = WORD_RE.exec(text)) if (words.has(m[0])) out.push({ start: m.index, end: m.index + m[0].length });
}

function endsWithColon(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && text.charCodeAt(i) <= 32) i--;
  return i >= 0 && text.charCodeAt(i) === 58;
}

/**
 * Adds the names structured fields give away to `names` (the lexicon finder's spans, in text order), keeping it in
 * text order with overlapping spans joined.
 */
export function findFieldNames(text: string, names: NameSpan[]): void {
  const found: NameSpan[] = [];
  const colon = text.indexOf(':') !== -1 || text.indexOf('：') !== -1;
  if (colon || text.indexOf('=') !== -1) scanKeyValues(text, found);
  const nl = text.indexOf('\n') !== -1;
  // each line scanner runs only where a cheap look at the whole text says its lines may be there
  // (a header line holds a delimiter: without any, a field of a million short lines would list them all for nothing)
  const csv = nl && (text.indexOf(',') !== -1 || text.indexOf(';') !== -1 || text.indexOf('\t') !== -1 || text.indexOf('|') !== -1);
  const vcard = colon && (text.indexOf('BEGIN:VCARD') !== -1 || text.indexOf('begin:vcard') !== -1);
  const ics = colon && nl && (text.indexOf('CN=') !== -1 || text.indexOf('cn=') !== -1);
  const mail = colon;
  const speakers = colon;
  // a quote header ends its line with a colon
  const quotes = colon && (text.indexOf(':\n') !== -1 || text.indexOf(':\r') !== -1 || endsWithColon(text));
  const script = nl && text.indexOf('\n\n') !== -1;
  if (text.indexOf('@') !== -1) scanMentions(text, found);
  if (csv || vcard || ics || mail || speakers || quotes || script) {
    const ls = lines(text);
    if (csv) scanCsv(text, ls, found);
    if (vcard) scanVcard(text, ls, found);
    if (ics) scanIcs(text, ls, found);
    if (mail) scanMailHeaders(text, ls, found);
    if (speakers) scanSpeakers(text, ls, found);
    if (quotes) scanQuoteHeads(text, ls, found);
    if (script) scanScreenplay(text, ls, found);
  }
  if (found.length === 0) return;
  propagate(text, found, found);
  const all = names.concat(found).sort((a, b) => a.start - b.start || b.end - a.end);
  names.length = 0;
  for (const n of all) {
    const last = names[names.length - 1];
    if (last && n.start < last.end) {
      if (n.end > last.end) last.end = n.end;
    } else names.push({ start: n.start, end: n.end });
  }
}
