import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOKEN_RE } from '../detect.js';
import { parseKeyring, tokenizeText, tokenFor } from '../index.js';
import { ENTITY_DEFS, ENTITY_TYPES } from './index.js';
import type { ScanContext } from './registry.js';

const ring = parseKeyring(`t1:${Buffer.alloc(32, 3).toString('base64')}`, 'test');
const NOT_TYPES = new Set(['index', 'registry', 'testing', 'reference', 'spaced']);

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
