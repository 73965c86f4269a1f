// SQL INSERT statements pasted into prompts (dumps, migrations, bug reports): a column's values, found from its name
// in the column list, for the entity finders that read table columns (date-of-birth, phone).
const INSERT_HEAD = /INSERT\s+(?:INTO\s+)?[^\s(]{1,128}\s*$/i;
const VALUES = /^\s*\)\s*VALUES\s*/i;
const MAX_SQL_HEAD = 1024;
const MAX_SQL_TRIES = 64;
const MAX_SQL_ROWS = 10_000; // tuples read per document, all columns together
// a VALUES tuple longer than this is no row (an unclosed quote or parenthesis): the read ends there, so a field of
// unclosed tuples does not read to its end once per column list
const MAX_TUPLE = 8192;

/** What one document's scan has read: each column list once, a bounded number of tuples and of reads back. */
export interface SqlScan {
  rows: number;
  sql: number;
  sqlTries: number;
  insert: boolean;
}

export function sqlScan(text: string): SqlScan {
  return { rows: 0, sql: -1, sqlTries: MAX_SQL_TRIES, insert: /insert\s/i.test(text) };
}
const isSqlSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isQuoteOrBracket = (c: number) => c === 34 || c === 96 || c === 91 || c === 93; // " ` [ ]

/**
 * A cue (a birth-date or phone column name) in the column list of an SQL INSERT (`INSERT INTO customers (id, name,
 * date_of_birth) VALUES (1, 'Ann', '1952-03-18'), (…)`): calls `visit` with the [start, end) of that position's value
 * in each VALUES tuple, quotes included. True when the cue is such a column name, so the caller does not read the
 * value right after it in the text (another column's). Each column list is read once, the tuples once each.
 */
export function eachSqlColumnCell(text: string, cueStart: number, cueEnd: number, seen: SqlScan, visit: (a: number, b: number) => void): boolean {
  if (!seen.insert || seen.sqlTries <= 0) return false;
  let j = cueEnd;
  while (j < text.length && (isSqlSpace(text.charCodeAt(j)) || isQuoteOrBracket(text.charCodeAt(j)))) j++;
  if (text[j] !== ',' && text[j] !== ')') return false;
  let i = cueStart;
  while (i > 0 && (isSqlSpace(text.charCodeAt(i - 1)) || isQuoteOrBracket(text.charCodeAt(i - 1)))) i--;
  if (text[i - 1] !== ',' && text[i - 1] !== '(') return false;
  // the column list's '(' and the cue's position in it (a read back of up to MAX_SQL_HEAD characters, at most
  // MAX_SQL_TRIES times per document: a megabyte of `(dob, dob, dob` stays linear)
  seen.sqlTries--;
  let open = i - 1;
  let col = 0;
  for (; open >= 0 && cueStart - open < MAX_SQL_HEAD; open--) {
    const ch = text[open];
    if (ch === '(') break;
    if (ch === ')' || ch === ';' || ch === "'") return false;
    if (ch === ',') col++;
  }
  if (open < 0 || text[open] !== '(' || !INSERT_HEAD.test(text.slice(Math.max(0, open - 160), open))) return false;
  // (a column name, not a cue in prose: the caller does not look for a date right after it)
  if (open === seen.sql) return true;
  seen.sql = open;
  const close = text.indexOf(')', cueEnd);
  if (close < 0 || close - cueEnd > MAX_SQL_HEAD) return true;
  const v = VALUES.exec(text.slice(close, close + 32));
  if (!v) return true;
  let at = close + v[0].length;
  while (seen.rows < MAX_SQL_ROWS && text[at] === '(') {
    seen.rows++;
    // one tuple: values split at commas outside quotes and nested parentheses
    let k = at + 1;
    let n = 0;
    let start = k;
    let depth = 0;
    let quote = 0;
    const stop = Math.min(text.length, at + MAX_TUPLE);
    for (; k < stop; k++) {
      const c = text.charCodeAt(k);
      if (quote) {
        if (c === quote) {
          if (text.charCodeAt(k + 1) === quote) k++; // '' inside a string
          else quote = 0;
        } else if (c === 92) k++; // a backslash escape (MySQL)
      } else if (c === 39 || c === 34) quote = c;
      else if (c === 40) depth++;
      else if (c === 41 && depth > 0) depth--;
      else if ((c === 44 || c === 41) && depth === 0) {
        if (n === col) visit(start, k);
        if (c === 41) break;
        n++;
        start = k + 1;
      }
    }
    if (k >= stop) return true;
    at = k + 1;
    while (at < text.length && (isSqlSpace(text.charCodeAt(at)) || text[at] === ',')) at++;
  }
  return true;
}

