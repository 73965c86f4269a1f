import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOKEN_RE } from '../detect.js';
import { parseKeyring, tokenizeText, tokenFor } from '../index.js';
import { ENTITY_DEFS, ENTITY_TYPES } from './index.js';
import { FACT_ALNUM, FACT_CHAIN, FACT_RUN, FACTS_MIN_CHARS, textFacts, type ScanContext } from './registry.js';
import { assertFinds, withLuhn } from './testing.js';
import { aadhaarOk, auAbnOk } from '../validators.js';

const ring = parseKeyring(`t1:${Buffer.alloc(32, 3).toString('base64')}`, 'test');
const NOT_TYPES = new Set(['index', 'registry', 'testing', 'reference', 'spaced', 'sql-columns']);

test('every entity file in the folder is registered, with a test beside it', () => {
  const dir = dirname(fileURLToPath(import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') && !f.endsWith('.test.js')).map((f) => f.slice(0, -3)).filter((f) => !NOT_TYPES.has(f));
  const types = files.map((f) => f.toUpperCase().replace(/-/g, '_')).sort();
  assert.deepEqual(types, [...ENTITY_TYPES].sort());
  const tests = new Set(readdirSync(dir).filter((f) => f.endsWith('.test.js')));
  for (const f of files) if (f !== 'secret' && f !== 'person') assert.ok(tests.has(`${f}.test.js`), `${f} has no test`);
});

test('ranks are unique; the order is the overlap priority', () => {
  const ranks = ENTITY_DEFS.map((d) => d.rank);
  assert.equal(new Set(ranks).size, ranks.length);
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
  assert.ok(ENTITY_DEFS.findIndex((d) => d.type === 'SECRET') < ENTITY_DEFS.findIndex((d) => d.type === 'PHONE'));
});

for (const d of ENTITY_DEFS) {
  test(`${d.type}: documented, its look-alike comes through unchanged, its token is recognised`, () => {
    for (const field of ['description', 'validator', 'context', 'lookalike'] as const) assert.ok(d[field].length > 3, `${d.type}.${field}`);
    assert.equal(tokenizeText(d.lookalike, ring).text, d.lookalike);
    const tok = tokenFor(d.type, 'x', ring);
    TOKEN_RE.lastIndex = 0;
    assert.ok(TOKEN_RE.test(`a ${tok} b`), tok);
  });
}

// Hostile input: each finder stays linear. Ratio of a 1 MiB run to a 256 KiB run (4 when linear, 16 when
// quadratic), in CPU time, best of three, so a busy shared machine does not decide; plus a generous absolute bound.
const MiB = 1 << 20;
const HOSTILE: [string, (n: number) => string][] = [
  ['digits', (n) => '7'.repeat(n)],
  ['digit groups', (n) => '1234 '.repeat(n / 5)],
  ['phone-shaped numbers', (n) => 'tel 020 7946 0958, '.repeat(n / 19)],
  ['dashes', (n) => '-'.repeat(n)],
  ['digit dashes', (n) => '12-'.repeat(n / 3)],
  ['dots', (n) => '1.'.repeat(n / 2)],
  ['at signs', (n) => 'a@'.repeat(n / 2)],
  ['colons and hex', (n) => 'ab:'.repeat(n / 3)],
  ['capitalised words', (n) => 'Anna Street '.repeat(n / 12)],
  ['house numbers', (n) => '12 Main '.repeat(n / 8)],
  ['base58', (n) => '1A'.repeat(n / 2)],
  ['base58 words', (n) => '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 '.repeat(n / 35)],
  ['hex', (n) => '0x' + 'a'.repeat(n - 2)],
  ['birth cues', (n) => 'DOB 12/'.repeat(n / 7)],
  ['urls', (n) => 'https://a:b@x?email='.repeat(n / 20)],
  ['mixed', (n) => '+1 (2) 3-4.5@6:7/8 '.repeat(n / 19)],
];
const ALL: ScanContext = { hasDigit: true, hasAt: true, hasDot: true, hasColon: true };
// CPU milliseconds of this process, best of three: time spent preempted by other work does not count
function best(fn: () => void): number {
  let b = Infinity;
  for (let k = 0; k < 3; k++) {
    const t0 = process.cpuUsage();
    fn();
    const u = process.cpuUsage(t0);
    b = Math.min(b, (u.user + u.system) / 1e3);
  }
  return b;
}
for (const [what, make] of HOSTILE) {
  test(`hostile ${what}: every finder linear`, () => {
    const big = make(MiB);
    const small = make(MiB / 4);
    const report: string[] = [];
    for (const d of ENTITY_DEFS) {
      if (!d.find) continue;
      const ts = best(() => d.find!(small, [], ALL));
      const tb = best(() => d.find!(big, [], ALL));
      report.push(`${d.type}=${tb.toFixed(1)}`);
      assert.ok(tb < 5000, `${d.type} on 1 MiB of ${what}: ${tb.toFixed(0)} ms`);
      if (tb > 50) assert.ok(tb / Math.max(ts, 1) < 12, `${d.type} on ${what} grows faster than linear: ${ts.toFixed(1)} ms -> ${tb.toFixed(1)} ms`);
    }
    console.log(`ms per MiB of ${what}: ${report.join(' ')}`);
  });
}

test('textFacts measures what the regexes would, up to the lengths the finders ask for', () => {
  // a seeded mix of the characters the facts care about, long enough that the pass runs (not the open gate)
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const alphabet = '0123456789012345 -.-. aZqé@\n';
  const longest = (re: RegExp, t: string, count = (s: string) => s.length) => Math.max(0, ...[...t.matchAll(re)].map((m) => count(m[0])));
  for (let k = 0; k < 200; k++) {
    const len = FACTS_MIN_CHARS + Math.floor(rand() * 3000);
    // some texts are long digit runs with a few breaks, so the early stop (every length reached) is taken too
    const digitHeavy = k % 4 === 0;
    let t = '';
    for (let i = 0; i < len; i++) t += digitHeavy && rand() < 0.97 ? '5' : alphabet[Math.floor(rand() * alphabet.length)]!;
    const f = textFacts(t, {} as ScanContext);
    const msg = JSON.stringify(t.slice(0, 80));
    assert.equal(Math.min(f.run, FACT_RUN), Math.min(longest(/\d+/g, t), FACT_RUN), `run ${msg}`);
    assert.equal(Math.min(f.chain, FACT_CHAIN), Math.min(longest(/\d(?:[ -]?\d)*/g, t, (s) => s.replace(/\D/g, '').length), FACT_CHAIN), `chain ${msg}`);
    assert.equal(Math.min(f.alnum, FACT_ALNUM), Math.min(longest(/[A-Za-z0-9]+/g, t), FACT_ALNUM), `alnum ${msg}`);
    assert.equal(f.digitDot, /\d\.\d/.test(t), `digitDot ${msg}`);
    assert.equal(f.letterDigit, /[A-Za-z]\d/.test(t), `letterDigit ${msg}`);
    assert.equal(f.digitLetter, /\d[A-Za-z]/.test(t), `digitLetter ${msg}`);
    assert.equal(f.digitUpper, /\d[ -]?[A-Z]/.test(t), `digitUpper ${msg}`);
  }
  // short text: every gate open, and the answer is kept on the context
  const ctx = {} as ScanContext;
  assert.equal(textFacts('12', ctx).chain, Infinity);
  assert.equal(ctx.facts?.digitDot, true);
});

test('textFacts: a digit, a dash and a capital across the early stop still count (an ES NIF alone in the field)', () => {
  // every length is reached before 1023, where the pass stops; the NIF's digit and dash are read before the stop,
  // its letter after it: the rest must be scanned from the digit, not from the dash
  const head = 'abcdefghijklmnopqrstuvwxyzabc 123456789012 x ';
  const t = `${head}${'a'.repeat(1013 - head.length)} 12345678-Z ${'word '.repeat(300)}`;
  assert.equal(t.indexOf('Z'), 1023);
  assert.equal(textFacts(t, {} as ScanContext).digitUpper, true);
  assertFinds('ES_NIF', t, '12345678-Z');
});

test('the finders that the facts gate still find their value in a long field of filler', () => {
  let aadhaar = '';
  for (let n = 234567890120; !aadhaar; n++) if (aadhaarOk(String(n))) aadhaar = `${String(n).slice(0, 4)} ${String(n).slice(4, 8)} ${String(n).slice(8)}`;
  let abn = '';
  for (let n = 51824753550; !abn; n++) if (auAbnOk(String(n))) abn = String(n).replace(/^(\d\d)(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3 $4');
  const L = 'TRWAGMYFPDXBNJZSQVHLCKE';
  // [type, value, words before it]
  const cases: [string, string, string][] = [
    ['CREDIT_CARD', withLuhn('411111111111111'), ''], ['IN_AADHAAR', aadhaar, ''], ['AU_ABN', abn, ''], ['US_SSN', '078-05-1121', ''],
    ['ES_NIF', `12345678${L[12345678 % 23]}`, ''], ['IP_ADDRESS', '10.1.2.3', ''], ['CRYPTO_WALLET', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', ''],
    ['IBAN', 'GB82WEST12345698765432', ''], ['IN_PAN', 'ABCPE1234F', 'PAN '], ['SG_NRIC', 'S1234567D', 'nric '],
    ['IT_FISCAL_CODE', 'RSSMRA85T10A562S', 'codice fiscale '],
  ];
  // filler with no digit chain, no dot between digits and no long word: alone it closes every gate
  const filler = 'a=1+ '.repeat(FACTS_MIN_CHARS / 5 + 10);
  const none = textFacts(filler, {} as ScanContext);
  assert.ok(none.chain < 9 && none.run < 7 && none.alnum < 26 && !none.digitDot && !none.letterDigit && !none.digitLetter && !none.digitUpper, JSON.stringify(none));
  for (const [type, value, before] of cases) assertFinds(type, `${filler} ${before}${value} ${filler}`, value);
});
