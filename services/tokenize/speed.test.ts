import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { serialize } from 'node:v8';
import { detect } from './detect.js';
import { findFieldNames } from './names-fields.js';
import type { NameSpan } from './names.js';
import { parseKeyring, tokenizeText } from './index.js';
import { lineJoins, normalizeView, type Bound } from './normalize.js';

// The shortcuts taken for hostile fields (session 8, issue #10) skip work only where it cannot find anything: these
// are the cases next to each shortcut that must still be found.

const streets = (text: string) => detect(text).filter((s) => s.type === 'STREET_ADDRESS').map((s) => text.slice(s.start, s.end));

test('street line before a postcode: every way a postcode opens is still tried', () => {
  // two digits, a capital and a digit (Canada), a country prefix by one capital and '-', by two capitals; after a
  // line break, a comma, a comma and a space
  // (a street line with no street word: only the postcode after it finds it)
  const cases: [string, string][] = [
    ['Kofránkova 86\n89252 Bílina', 'Kofránkova 86\n89252 Bílina'],
    ['Kofránkova 86\n892 52 Bílina', 'Kofránkova 86\n892 52 Bílina'],
    ['Kofránkova 86\nK1A 0B1 Ottawa', 'Kofránkova 86\nK1A 0B1 Ottawa'],
    ['Kofránkova 86\nD-89252 Bílina', 'Kofránkova 86\nD-89252 Bílina'],
    ['Kofránkova 86, CH-8925 Bílina', 'Kofránkova 86, CH-8925 Bílina'],
    ['Kofránkova 86,8925 AB Bílina', 'Kofránkova 86,8925 AB Bílina'],
  ];
  for (const [text, value] of cases) assert.ok(streets(text).includes(value), `${JSON.stringify(text)}: ${JSON.stringify(streets(text))}`);
  // and a megabyte of one-digit lines finds none
  assert.deepEqual(streets('1\n'.repeat(1 << 19)), []);
});

const fields = (text: string) => {
  const out: NameSpan[] = [];
  findFieldNames(text, out);
  return out.map((s) => text.slice(s.start, s.end));
};

test('CSV columns: each delimiter still opens a table, and a repeated value is found in every row', () => {
  for (const d of [',', ';', '\t', '|']) {
    const text = `first_name${d}last_name\nQuorin${d}Vellaby\nMirela${d}Vellaby\n`;
    assert.deepEqual(fields(text), ['Quorin', 'Vellaby', 'Mirela', 'Vellaby'], JSON.stringify(d));
  }
  // a value seen before is taken again, and one rejected before is rejected again (the verdicts are memoised)
  const rows = 'customer,plan\n' + 'Quorin Vellaby,pro\nthe free tier,free\n'.repeat(50);
  const got = fields(rows);
  assert.equal(got.length, 50);
  assert.ok(got.every((g) => g === 'Quorin Vellaby'), got.join('|'));
  // lines with no delimiter at all: no table
  assert.deepEqual(fields('first_name\nQuorin\n'), []);
});

test('line joins in a view with no digit or @: a long token head still joins, short words do not', () => {
  const letters = 'QwErTyUiOpAsDfGhJkLzXcVbNmPoIuYt';
  const head = `hf_${letters.slice(0, 26)}`;
  assert.equal(lineJoins(`key ${head}\n${letters.slice(26)}Rb ok`).length, 1);
  // 16 token characters before the break are enough, 15 one too few, as before
  assert.equal(lineJoins(`key ${head.slice(-16)}\n${letters.slice(26)}Rb ok`).length, 1);
  assert.equal(lineJoins(`key ${head.slice(-15)}\n${letters.slice(26)}Rb ok`).length, 0);
  assert.equal(lineJoins('Alice: hi\n'.repeat(1000)).length, 0);
  // with a digit in the view the hint path is taken as before
  assert.equal(lineJoins('id ab12\ncd34 ok').length > 0, true);
});

test('a megabyte of short lines finds nothing, and CSV rows give every row its name', () => {
  const ring = parseKeyring(`k1:${randomBytes(32).toString('base64')}`, 'test key');
  const lines = '1\n'.repeat(1 << 19);
  assert.equal(tokenizeText(lines, ring).text, lines);
  const csv = 'name,email\nJohn Doe,x\n'.repeat(1000);
  const r = tokenizeText(csv, ring);
  assert.equal(r.entities.filter((e) => csv.slice(e.start, e.end) === 'John Doe').length, 1000);
});

test('phone column headers: the cell around each cue is found from moving edges as it was from a scan either side', () => {
  const phones = (text: string) => detect(text).filter((s) => s.type === 'PHONE').map((s) => text.slice(s.start, s.end));
  // a header at the start of the text, after a long line, and after many cues that are no header (`phone=…&`)
  assert.deepEqual(phones('phone,name\n3036971842,Ann\n'), ['3036971842']);
  assert.deepEqual(phones(`${'x'.repeat(50)}\nname,phone\nAnn,3036971842\n`), ['3036971842']);
  assert.deepEqual(phones(`${'phone=1&'.repeat(200)}\nname,phone\nAnn,3036971842\n`), ['3036971842']);
  // no cell edge within the bound before or after the cue: no header, and bare digits are no phone
  assert.deepEqual(phones(`${'x'.repeat(45)} phone,name\n3036971842,Ann\n`), []);
  assert.deepEqual(phones(`name,phone${'x'.repeat(45)}\nAnn,3036971842\n`), []);
});

test('past the clusters bound a run of letters is left as written in one go, and what follows is still read', () => {
  // U+2126 OHM SIGN is U+03A9 in NFKC, one for one (no growth): twenty thousand of them pass the bound of 16,384
  const tail = 'x\u00e9e\u0301\u2126\u0301\u200b\uff14\u2013\u2126\ud835\udc00z';
  const text = '\u2126'.repeat(20_000) + tail;
  const bounds = new Set<Bound>();
  const v = normalizeView(text, bounds);
  assert.deepEqual([...bounds], ['clusters']);
  assert.equal(v.text[0], '\u03a9');
  // after the bound: letters as written, a mark still stripped from its base, a zero-width space dropped, fullwidth and
  // dashes still mapped, astral letters as written
  assert.equal(v.text.slice(-12), '\u2126\u2126x\u00e9e\u21264-\u2126\ud835\udc00z');
  assert.equal(v.start![v.text.length - 1], text.length - 1);
  assert.equal(v.end![v.text.length - 1], text.length);
});

test('a view of a million characters or more that fits a byte is a one-byte string, with the same text', () => {
  // (v8.serialize writes a one-byte string with one byte per character; Node decodes 1,031,913 UTF-16 units or more
  // into a two-byte string)
  const oneByte = (s: string) => serialize(s).length < s.length * 1.5;
  const n = 1_100_000;
  const v = normalizeView('\uff14'.repeat(n));
  assert.equal(v.text, '4'.repeat(n));
  assert.ok(oneByte(v.text));
  assert.equal(v.start![n - 1], n - 1);
  // codes past a byte still make their two-byte string
  const wide = normalizeView('\u2126\uff14'.repeat(n / 2));
  assert.equal(wide.text.slice(-2), '\u21264');
  assert.ok(!oneByte(wide.text));
});
