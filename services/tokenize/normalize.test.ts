import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base64Segments, type Bounds, FormValues, LIMITS, lineJoins, normalizeView, toOriginal } from './normalize.js';
import { parseKeyring, tokenFor, tokenizeText } from './index.js';
import { rng } from './entities/testing.js';

const ring = parseKeyring(`n1:${Buffer.alloc(32, 7).toString('base64')}`, 'test key');

// Values built here, nowhere else: an address, a Visa test number, a North American phone, an SSN, an IBAN with a
// valid checksum and an AWS-shaped key id assembled from parts (no credential in the source).
const EMAIL = 'jane.roe@example.org';
const CARD = '4111 1111 1111 1111';
const PHONE = '(415) 555-0134';
const SSN = '123-45-6789';
const IBAN = 'DE89 3704 0044 0532 0130 00';
const KEY_ID = ['AK', 'IA', 'Q3ERTY7UIOPA5DFG'].join('');

const every = (s: string, f: (c: string) => string) => [...s].map(f).join('');
const between = (s: string, sep: string) => [...s].join(sep);
const encodeAll = (s: string, f: (c: string) => string) => every(s, f);

/** Each class: how it writes a value. The test checks the value is gone as written, and as plain text. */
const classes: [string, (v: string) => string][] = [
  ['zero-width space', (v) => v.slice(0, 4) + '\u200b' + v.slice(4, 9) + '\u200b' + v.slice(9)],
  ['zero-width non-joiner', (v) => v.slice(0, 5) + '\u200c' + v.slice(5)],
  ['zero-width joiner', (v) => v.slice(0, 5) + '\u200d' + v.slice(5)],
  ['word joiner', (v) => v.slice(0, 3) + '\u2060' + v.slice(3)],
  ['BOM inside', (v) => v.slice(0, 6) + '\ufeff' + v.slice(6)],
  ['soft hyphens', (v) => v.slice(0, 3) + '\u00ad' + v.slice(3, 8) + '\u00ad' + v.slice(8)],
  ['bidi override', (v) => v.slice(0, 4) + '\u202e' + v.slice(4, 7) + '\u202c' + v.slice(7)],
  ['bidi isolate', (v) => v.slice(0, 4) + '\u2066' + v.slice(4) + '\u2069'.slice(0, 0)],
  ['left-to-right mark', (v) => v.slice(0, 2) + '\u200e' + v.slice(2)],
  ['fullwidth', (v) => every(v, (c) => (c >= '!' && c <= '~' && c !== ' ' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))],
  ['percent-encoded', (v) => encodeURIComponent(v).replace(/[.-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)],
  ['percent-encoded every byte', (v) => encodeAll(v, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)],
  ['JSON \\u escapes', (v) => encodeAll(v, (c) => (/[@. -]/.test(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))],
  ['Python \\U escapes', (v) => encodeAll(v, (c) => (/[@. -]/.test(c) ? `\\U${c.charCodeAt(0).toString(16).padStart(8, '0')}` : c))],
  ['%u escapes', (v) => encodeAll(v, (c) => (/[@. -]/.test(c) ? `%u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))],
  ['JS \\x escapes', (v) => encodeAll(v, (c) => (/[@. -]/.test(c) ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c))],
  ['HTML decimal entities', (v) => encodeAll(v, (c) => (/[@. -]/.test(c) ? `&#${c.charCodeAt(0)};` : c))],
  ['HTML hex entities', (v) => encodeAll(v, (c) => `&#x${c.charCodeAt(0).toString(16)};`)],
  ['nested percent (%2540)', (v) => encodeURIComponent(encodeURIComponent(v))],
  ['HTML entity inside percent', (v) => encodeAll(v, (c) => (c === '@' ? '%26%2364%3B' : c === '.' ? '%26period%3B' : c))],
  ['tag characters', (v) => encodeAll(v, (c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0)))],
];

const values: [string, string][] = [['EMAIL', EMAIL], ['CREDIT_CARD', CARD], ['PHONE', PHONE], ['US_SSN', SSN], ['IBAN', IBAN], ['SECRET', KEY_ID]];

for (const [cls, write] of classes) {
  for (const [type, value] of values) {
    // a class that leaves this value as it is (no '@' or '.' to escape) has nothing to test for it
    if (write(value) === value || (cls === 'tag characters' && type !== 'EMAIL')) continue;
    test(`normalisation: ${type} written with ${cls} is gone`, () => {
      const written = write(value);
      const text = `Ticket 7: customer wrote ${written} in the form, please check.`;
      const r = tokenizeText(text, ring);
      assert.ok(!r.text.includes(written), `kept as written: ${r.text}`);
      assert.ok(!r.text.includes(value), `kept as plain: ${r.text}`);
      const e = r.entities.find((x) => x.type === type);
      assert.ok(e, `no ${type} among ${JSON.stringify(r.entities.map((x) => x.type))}`);
      // same token as the plain value: tokens stay joinable across encodings
      assert.equal(e.token, tokenFor(type as never, value, ring));
      assert.ok(r.text.startsWith('Ticket 7: customer wrote '), r.text);
      assert.ok(r.text.endsWith(' in the form, please check.'), r.text);
    });
  }
}

const separators: [string, string][] = [
  ['NBSP', '\u00a0'], ['thin space', '\u2009'], ['narrow NBSP', '\u202f'], ['figure space', '\u2007'], ['ideographic space', '\u3000'],
];
for (const [name, sp] of separators) {
  test(`normalisation: card and IBAN grouped by ${name}`, () => {
    for (const [type, value] of [['CREDIT_CARD', CARD], ['IBAN', IBAN]] as const) {
      const written = value.replace(/ /g, sp);
      const r = tokenizeText(`pay ${written} today`, ring);
      assert.equal(r.text, `pay ${tokenFor(type, value, ring)} today`);
    }
  });
}

const dashes = ['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe63', '\uff0d'];
for (const d of dashes) {
  test(`normalisation: SSN and phone with U+${d.charCodeAt(0).toString(16).toUpperCase()} dashes`, () => {
    const r = tokenizeText(`ssn ${SSN.replace(/-/g, d)}, phone ${PHONE.replace(/-/g, d)}.`, ring);
    assert.equal(r.text, `ssn ${tokenFor('US_SSN', SSN, ring)}, phone ${tokenFor('PHONE', PHONE, ring)}.`);
  });
}

test('normalisation: a long-vowel mark between fullwidth digits reads as a dash', () => {
  const r = tokenizeText('ssn: １２３ー４５ー６７８９ ok', ring);
  assert.equal(r.text, `ssn: ${tokenFor('US_SSN', SSN, ring)} ok`);
  assert.equal(tokenizeText('カード、データー', ring).text, 'カード、データー');
});

test('normalisation: spaced dashes between digit groups', () => {
  const r = tokenizeText('ssn 123 – 45 – 6789 and card 4111 – 1111 – 1111 – 1111', ring);
  assert.equal(r.text, `ssn ${tokenFor('US_SSN', SSN, ring)} and card ${tokenFor('CREDIT_CARD', CARD, ring)}`);
});

const obfuscated = [
  'jane.roe [at] example [dot] org', 'jane.roe(at)example(dot)org', 'jane.roe{at}example{dot}org', 'jane.roe <at> example <dot> org',
  'jane.roe AT example DOT org', 'jane.roe at example dot org', 'jane.roe@example dot org', 'jane [dot] roe [at] example [dot] org',
  'jane.roe @ example . org', 'jane.roe [@] example [.] org',
];
for (const w of obfuscated) {
  test(`normalisation: obfuscated address "${w}"`, () => {
    const r = tokenizeText(`write to ${w} today`, ring);
    assert.equal(r.text, `write to ${tokenFor('EMAIL', EMAIL, ring)} today`);
  });
}

test('normalisation: Cyrillic and Greek homoglyphs inside an address', () => {
  for (const w of ['jаne.rоe@exаmple.org', 'jane.roe@εxample.οrg'.replace('ε', 'е'), 'jane.rοe@example.οrg']) {
    const r = tokenizeText(`mail ${w} now`, ring);
    assert.equal(r.text, `mail ${tokenFor('EMAIL', EMAIL, ring)} now`, w);
  }
});

test('normalisation: values wrapped across a line break, with and without a quote marker', () => {
  const cases: [string, string, string][] = [
    ['EMAIL', 'jane.roe@\nexample.org', EMAIL],
    ['EMAIL', 'jane.roe@example.\norg', EMAIL],
    ['CREDIT_CARD', '4111\n1111 1111 1111', CARD],
    ['CREDIT_CARD', '> 4111 1111\n> 1111 1111', CARD],
    ['IBAN', 'DE89 3704 0044 \n    0532 0130 00', IBAN],
    ['SECRET', `${KEY_ID.slice(0, 9)}\n${KEY_ID.slice(9)}`, KEY_ID],
  ];
  for (const [type, written, plain] of cases) {
    const r = tokenizeText(`Fwd:\n\nsee ${written} please.\n\nThanks`, ring);
    for (const part of written.split(/\n(?:> |\s+)?/)) assert.ok(!r.text.includes(part.trim()) || part.trim().length < 3, `${part} kept: ${r.text}`);
    assert.equal(r.entities.find((e) => e.type === type)?.token, tokenFor(type as never, plain, ring), `${written}: ${r.text}`);
    assert.ok(r.text.endsWith(' please.\n\nThanks'), r.text);
  }
});

test('normalisation: a wrapped token whose head has no digit, indented or quote-marked', () => {
  // a Hugging Face-shaped token built here: hf_ and 34 letters, wrapped after 26 of them
  const letters = 'QwErTyUiOpAsDfGhJkLzXcVbNmPoIuYt';
  const tok = `hf_${letters}Rb`;
  for (const sep of ['\n    ', '\n> ', '\r\n\t']) {
    const written = tok.slice(0, 29) + sep + tok.slice(29);
    const r = tokenizeText(`Key ${written} please.\n\nBye`, ring);
    assert.ok(!r.text.includes(tok.slice(0, 29)) && !r.text.includes(tok.slice(29) + ' please'), r.text);
    assert.equal(r.entities.find((e) => e.type === 'SECRET')?.token, tokenFor('SECRET', tok, ring), r.text);
  }
  // prose in mixed case across a break is not a token head
  const prose = 'See the JavaScriptDeveloperGuide\nChapter One for more.';
  assert.equal(tokenizeText(prose, ring).text, prose);
});

test('normalisation: an em dash is a separator next to digits only', () => {
  assert.ok(normalizeView('+61\u2014431\u2014974\u2014310').text === '+61-431-974-310');
  for (const t of ['London\u2014Paris', 'Marta\u2014Jonas', 'done \u2014 page 3', '7875 \u2014 9:00']) assert.equal(normalizeView(t).text, t);
});

test('normalisation: a value whole on its line does not swallow the next line', () => {
  const r = tokenizeText(`E-MAIL ${EMAIL}\nＡＢＣ株式会社\nKrankenversicherung`, ring);
  assert.equal(r.text, `E-MAIL ${tokenFor('EMAIL', EMAIL, ring)}\nＡＢＣ株式会社\nKrankenversicherung`);
});

test('normalisation: digits spaced one by one', () => {
  const spaced = (s: string) => s.replace(/ /g, '  ').split('').join(' ').replace(/ {3,}/g, '  ');
  const r = tokenizeText(`card ${spaced(CARD)} ok`, ring);
  assert.equal(r.text, `card ${tokenFor('CREDIT_CARD', CARD, ring)} ok`);
  const p = tokenizeText(`tel +1 ${between('4155550134', ' ')} ok`, ring);
  assert.equal(p.entities[0]?.type, 'PHONE', p.text);
  assert.ok(!p.text.includes('5 5 5'), p.text);
});

test('normalisation: base64 segments are decoded and a finding replaces the whole segment', () => {
  for (const inner of [EMAIL, `{"card": "${CARD}"}`, `ssn=${SSN}`, `phone: ${PHONE}`]) {
    for (const enc of ['base64', 'base64url'] as const) {
      const b = Buffer.from(inner).toString(enc);
      const r = tokenizeText(`blob: ${b} end`, ring);
      assert.ok(!r.text.includes(b), `${inner} ${enc}: ${r.text}`);
      assert.match(r.text, /^blob: <[A-Z_]+:n1:[0-9a-f]{16}> end$/);
    }
  }
  // nested: base64 of a base64 of an address
  const twice = Buffer.from(Buffer.from(`mail ${EMAIL}`).toString('base64')).toString('base64');
  assert.equal(tokenizeText(`x ${twice} y`, ring).text, `x ${tokenFor('EMAIL', EMAIL, ring)} y`);
  // the token of a decoded value is the token of the plain value
  const r = tokenizeText(`b ${Buffer.from(EMAIL).toString('base64')}`, ring);
  assert.equal(r.entities[0]?.token, tokenFor('EMAIL', EMAIL, ring));
});

test('normalisation: the replaced range covers the invisible characters inside the value, and nothing around it', () => {
  const written = 'jane\u200b.roe@exa\u00admple.org';
  const text = `a \u200d${written}\u200d b`;
  const r = tokenizeText(text, ring);
  assert.equal(r.entities.length, 1);
  assert.equal(text.slice(r.entities[0]!.start, r.entities[0]!.end), written);
  assert.equal(r.text, `a \u200d${tokenFor('EMAIL', EMAIL, ring)}\u200d b`);
});

test('normalisation: look-alikes stay as they are', () => {
  const keep = [
    'Donau\u00addampf\u00adschiff\u00adfahrt', '\u2067عربي\u2069 text', 'مرحبا\u200f بالعالم', '👨\u200d🔧 and 🏳️\u200d🌈',
    'ＡＢＣ株式会社 第１章 ＯＫ', 'see you [at] 5pm', 'prices (at) cost', 'meet at the station dot', 'look at example.com',
    'page=34&per_page=50', 'q=hello%20world&lang=en-US', 'filter=status%3Dopen', 'Y2FjaGUgd2FybXVwIGNvbXBsZXRl',
    'eyJ0aGVtZSI6ImRhcmsifQ==', 'Привет, как дела? Ελληνικά κείμενα.', '9:00–17:30', '2007–2022', 'pp. 16–161', 'v7.19.82',
    'Mr.\u00a0Smith', 'Bonjour\u202f!', '§\u00a068', '51cb29fe-517c-4a5e-9299-622af04bb9f0', 'ORD-83190848', '5 – 3 = 2',
    'A&amp;B &lt;tag&gt;', 'C:\\new\\table', 'x + y + z', 'e\u0301te\u0301',
  ];
  for (const k of keep) assert.equal(tokenizeText(`note: ${k}.`, ring).text, `note: ${k}.`, k);
  const real = tokenizeText(`mail ${EMAIL}`, ring).text.slice(5);
  assert.equal(tokenizeText(`again ${real}`, ring).text, `again ${real}`);
});

test('normalisation: plain ASCII without encodings is its own view (the fast path)', () => {
  for (const t of ['hello world, order 42 shipped', `mail ${EMAIL} and card ${CARD}`, 'a (b) [c] {d} 1-2-3 x+y']) {
    const v = normalizeView(t);
    assert.equal(v.text, t);
    assert.equal(v.start, null);
  }
});

test('normalisation: view offsets map back to the original', () => {
  const t = 'x ＠ %40 &#64; \\u0040 \u200b@ y';
  const v = normalizeView(t);
  assert.equal(v.text, 'x @ @ @ @ @ y');
  const at = [...v.text].map((c, i) => (c === '@' ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual(at.map((i) => t.slice(...toOriginal(v, i, i + 1))), ['＠', '%40', '&#64;', '\\u0040', '@']);
});

// ---------- hard bounds ----------

test('bounds: decoding stops after LIMITS.decodeDepth rounds', () => {
  let s = '@';
  for (let d = 0; d < LIMITS.decodeDepth; d++) s = encodeURIComponent(s);
  assert.equal(normalizeView(`a${s}b`).text, 'a@b');
  const deeper = encodeURIComponent(encodeURIComponent(s));
  const v = normalizeView(`a${deeper}b`).text;
  assert.ok(v.includes('%'), `decoded past the depth bound: ${v}`);
});

test('bounds: compatibility expansion is capped', () => {
  const t = '\ufdfa'.repeat(200_000);
  const v = normalizeView(t);
  assert.ok(v.text.length <= t.length * LIMITS.growth + 1024, `view grew to ${v.text.length}`);
  assert.equal(v.start!.length, v.text.length);
});

test('bounds: base64 segment length, count and decoded bytes', () => {
  const long = Buffer.from(`mail ${EMAIL} `.repeat(Math.ceil(LIMITS.base64MaxChars / 20))).toString('base64');
  assert.ok(long.length > LIMITS.base64MaxChars);
  assert.deepEqual(base64Segments(long, { left: 1 << 30, segments: 1 << 30 }), []);
  const one = Buffer.from(`mail ${EMAIL}`).toString('base64');
  const many = Array.from({ length: LIMITS.base64Segments + 50 }, () => one).join(' ');
  assert.equal(base64Segments(many, { left: 1 << 30, segments: LIMITS.base64Segments }).length, LIMITS.base64Segments);
  const budget = { left: 100, segments: 1 << 30 };
  const got = base64Segments(many, budget);
  assert.ok(got.length <= Math.ceil(100 / 25) + 1, `decoded ${got.length} segments on a 100-byte budget`);
});

test('bounds: rewrites per pass and line joins per field are capped', () => {
  const n = LIMITS.rewrites + 100;
  const v = normalizeView('%41 '.repeat(n)).text;
  assert.equal(v.split('A').length - 1, LIMITS.rewrites);
  const joined = lineJoins('a1\nb2\n'.repeat(LIMITS.lineJoins * 2));
  assert.equal(joined[0]!.glues.length, LIMITS.lineJoins);
});

test('bounds: each LIMITS entry that stops work is reported, and only then', () => {
  const hit = (f: (b: Bounds) => unknown): string[] => {
    const b: Bounds = new Set();
    f(b);
    return [...b].sort();
  };
  // nothing stopped
  assert.deepEqual(hit((b) => normalizeView(`mail ${EMAIL} %40 &#64; \\u0040 e\u0301 a [at] b [dot] com 4 1 1 1 1`, b)), []);
  assert.deepEqual(hit((b) => lineJoins('a1\nb2\n'.repeat(LIMITS.lineJoins / 2), b)), []);
  // four rounds that decode everything are not a stop; a fifth level left is
  assert.deepEqual(hit((b) => normalizeView('%25252540', b)), []);
  assert.deepEqual(hit((b) => normalizeView('%2525252540', b)), ['decodeDepth']);
  assert.deepEqual(hit((b) => normalizeView('%41 '.repeat(LIMITS.rewrites + 1), b)), ['rewrites']);
  assert.deepEqual(hit((b) => normalizeView('a [at] b [dot] com '.repeat(LIMITS.rewrites + 1), b)), ['rewrites']);
  assert.deepEqual(hit((b) => normalizeView('1 - 2 - 3 x '.repeat(LIMITS.rewrites + 1), b)), ['rewrites']);
  assert.deepEqual(hit((b) => normalizeView('\u2460'.repeat(LIMITS.clusters + 1), b)), ['clusters']);
  assert.deepEqual(hit((b) => normalizeView('\ufdfa'.repeat(1000), b)), ['growth']);
  assert.deepEqual(hit((b) => lineJoins('a1\nb2\n'.repeat(LIMITS.lineJoins), b)), ['lineJoins']);
  const one = Buffer.from(`mail ${EMAIL}`).toString('base64');
  const many = Array.from({ length: LIMITS.base64Segments + 1 }, () => one).join(' ');
  assert.deepEqual(hit((b) => base64Segments(many, { left: 1 << 30, segments: LIMITS.base64Segments }, undefined, b)), ['base64Segments']);
  assert.deepEqual(hit((b) => base64Segments(many, { left: 100, segments: 1 << 30 }, undefined, b)), ['base64Budget']);
  assert.deepEqual(hit((b) => base64Segments(one, { left: 1 << 30, segments: 1 }, undefined, b)), []);
  const long = Buffer.from(`mail ${EMAIL} `.repeat(Math.ceil(LIMITS.base64MaxChars / 20))).toString('base64');
  assert.deepEqual(hit((b) => base64Segments(long, { left: 1 << 30, segments: 1 << 30 }, undefined, b)), ['base64MaxChars']);
});

test('bounds: a megabyte of hostile content finishes and stays bounded', () => {
  const MB = 1 << 20;
  const rep = (s: string) => s.repeat(Math.ceil(MB / s.length)).slice(0, MB);
  for (const t of [rep('\u200b'), rep('4\u200b'), rep('%25252540'), rep('&#64;'), rep('\\u0040'), rep('e\u0301'), rep('a [at] b [dot] '),
    rep('1 '), rep('1 - '), rep('a=1+'), rep('QUJD'), rep(Buffer.from(`x ${EMAIL} `).toString('base64') + ' '), rep('\ufdfa'), rep('１\n'),
    rep(`x@y.com ${CARD} ＠ &#64; %40 \u200b `)]) {
    const r = tokenizeText(t, ring);
    assert.equal(typeof r.text, 'string');
    assert.ok(r.text.length <= t.length * 2 + 1024);
  }
});

test('normalisation never loses what the text as written gives the detectors', () => {
  // decoding shortens `%2B` to '+', under the 16 characters a `token=` value needs; the text as written still has it
  const pw = ['Panther', '7ig3r', '%2B69'].join('');
  const r = tokenizeText(`retry https://hooks.example.org/in?q=hello%20world&token=${pw} now`, ring);
  assert.ok(!r.text.includes('Panther7ig3r'), r.text);
  assert.ok(r.text.includes('q=hello%20world'), r.text);
  // a quoted value with a '+' is not a form value: the plus stays a plus
  const key = ['qBF+RtISc2', 'INvfOt10INRrmCB5a/IQ4My33bPjLl'].join('');
  const k = tokenizeText(`export aws_secret_access_key='${key}'`, ring);
  assert.ok(!k.text.includes('qBF') && !k.text.includes('bPjLl'), k.text);
});

test('a value found whole in the view gets one token, not a second from the wrapped-line look', () => {
  const pem = ['-----BEGIN', ' PRIVATE KEY-----'].join('');
  const body = 'MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu';
  const r = tokenizeText(`key: ${pem}\n${body}\n${pem.replace('BEGIN', 'END')}\nthanks`, ring);
  assert.equal(r.entities.length, 1, JSON.stringify(r.entities));
  assert.match(r.text, /^key: <SECRET:n1:[0-9a-f]{16}>\nthanks$/);
});

test('a wrapped join does not swallow the next line when that line has a value of its own', () => {
  const a = ['npm_', 'Llgyw1qGP7lMXUxm7YZV3e8IS7YE9l1oDhqi'].join('');
  const r = tokenizeText(`app.npm.token=${a}\napp.db.password=hunter22x\napp.name=demo`, ring);
  assert.equal(r.entities.length, 2, r.text);
  assert.ok(r.text.includes('\napp.db.password=<SECRET:'), r.text);
  assert.ok(r.text.endsWith('\napp.name=demo'), r.text);
});

test('bounds: random mixtures of every class never throw and give ranges inside the text', () => {
  const alpha = ['a', 'Z', '4', '7', ' ', '\n', '\r', '\t', '@', '.', '-', '+', '%', '2', 'B', '&', '#', 'x', ';', '\\', 'u', '0', '[', ']', '(', ')',
    '{', '}', '<', '>', '=', '\u200b', '\u00ad', '\u202e', '\u2066', '\u00a0', '\u2013', '＠', '４', '\ud83d', '\ude00', '\ud83d\ude00', '\u0301', 'é',
    'а', 'о', 'ー', '\ufdfa', '\udb40\udc41', 'QUJD', '/', '_', ':', '"', "'", 'at', 'dot', ' [at] ', ' [dot] ', '%40', '&#64;', '\\u0040', CARD, EMAIL,
    `SSN ${SSN}`, '\n> ', 'eyJ', 'sk-'];
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed / 0x7fffffff);
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let k = 1 + Math.floor(rnd() * 60); k > 0; k--) s += alpha[Math.floor(rnd() * alpha.length)];
    const r = tokenizeText(s, ring);
    for (const e of r.entities) assert.ok(e.start >= 0 && e.start < e.end && e.end <= s.length, `${JSON.stringify(s)}: ${JSON.stringify(e)}`);
  }
});

/** The rule FormValues answers in one forward scan, written as the direct walk it replaced (512 steps each way). */
function formValueWalk(t: string, i: number): boolean {
  let eq = false;
  for (let k = i - 1; k >= 0 && i - k <= 512; k--) {
    const c = t[k]!;
    if (c === '=') eq = true;
    else if (c === '&' || c === '?') return eq;
    else if (c === '"' || c === "'") return false;
    else if (/\s/.test(c)) break;
  }
  if (!eq) return false;
  for (let j = i + 1; j < t.length && j - i <= 512; j++) {
    const c = t[j]!;
    if (c === '&') return true;
    if (/[\s"']/.test(c)) return false;
  }
  return false;
}

test('form pluses: the one-scan reading agrees with the direct walk, windows of 512 included', () => {
  const r = rng(20261202);
  const pieces = ['a', '=', '+', '+', '&', '?', ' ', '"', "'", '\n', 'x'.repeat(130), 'y'.repeat(400), '=b+c', '&d=e+f'];
  for (let n = 0; n < 3000; n++) {
    let t = '';
    for (let k = r(50); k > 0; k--) t += pieces[r(pieces.length)];
    const f = new FormValues(t);
    for (let i = 1; i < t.length; i++) if (t[i] === '+') assert.equal(f.has(i), formValueWalk(t, i), `at ${i} of ${JSON.stringify(t)}`);
  }
});

test('homoglyphs: a megabyte-long word of look-alikes maps one for one', () => {
  const t = 'аеорсух@'.repeat(1 << 17);
  const v = normalizeView(t);
  assert.equal(v.text, 'aeopcyx@'.repeat(1 << 17));
  assert.equal(v.start, null);
});

test('normalisation: digits of other scripts read as the same value and take the same token', () => {
  const inScript = (s: string, zero: number) => s.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));
  const arabic = inScript(CARD, 0x660);
  const persian = inScript(PHONE, 0x6f0);
  const devanagari = inScript(SSN, 0x966);
  const r = tokenizeText(`بطاقة ${arabic} و phone ${persian}, ssn ${devanagari}.`, ring);
  assert.equal(r.text, `بطاقة ${tokenFor('CREDIT_CARD', CARD, ring)} و phone ${tokenFor('PHONE', PHONE, ring)}, ssn ${tokenFor('US_SSN', SSN, ring)}.`);
  // one for one: the view keeps every offset, so the original span is what gets replaced
  const v = normalizeView(`x ${arabic} y`);
  assert.equal(v.text, `x ${CARD} y`);
  assert.deepEqual(toOriginal(v, 2, 2 + CARD.length), [2, 2 + arabic.length]);
  // a year or a count in those digits is still not a value
  const plain = `في عام ${inScript('2024', 0x660)} كان لدينا ${inScript('12', 0x660)} فرعا`;
  assert.equal(tokenizeText(plain, ring).text, plain);
});
