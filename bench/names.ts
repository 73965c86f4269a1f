import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../services/common/paths.js';
import { ALL_TYPES, parseKeyring, tokenizeText } from '../services/tokenize/index.js';
import { findNames, type NameSpan } from '../services/tokenize/names.js';

/**
 * What PERSON detection costs: tokenizeText with every type and with every type but PERSON, measured in alternating
 * rounds in one process, as CPU time (process.cpuUsage) so that a shared machine's load stays out, and findNames alone.
 * NAMES_BASE=path/to/an/older/names.js adds that build's findNames to the same alternating rounds and to the hostile
 * table, so a change's cost is a ratio measured under one load.
 */
const file = join(repoRoot(), '..', 'shared', 'data', 'pii-dev.jsonl');
const texts = existsSync(file)
  ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { text: string }).text)
  : Array.from({ length: 1500 }, (_, i) => `Customer Jane Doe (jane${i}@example.com) asked Marie about order ORD-${1000 + i}.\n\nRegards,\nPetra Schneider`);
const keyring = parseKeyring(`b1:${randomBytes(32).toString('base64')}`, 'bench key');
const noPerson = new Set([...ALL_TYPES].filter((t) => t !== 'PERSON'));
const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
const out: NameSpan[] = [];
type Find = (text: string, out: NameSpan[]) => void;
const base: Find | undefined = process.env.NAMES_BASE
  ? ((await import(pathToFileURL(resolve(process.env.NAMES_BASE)).href)) as { findNames: Find }).findNames
  : undefined;
const cases: [string, (t: string) => void][] = [
  ['tokenizeText, all types', (t) => void tokenizeText(t, keyring)],
  ['tokenizeText, all but PERSON', (t) => void tokenizeText(t, keyring, { types: noPerson })],
  ['findNames alone', (t) => {
    out.length = 0;
    findNames(t, out);
  }],
];
if (base) cases.push(['findNames alone, NAMES_BASE', (t) => {
  out.length = 0;
  base(t, out);
}]);
const ns = cases.map(() => 0);
for (const [, fn] of cases) for (const t of texts) fn(t);
for (let r = 0; r < rounds; r++) {
  // odd rounds run the cases in reverse: the last case of a round measured slower, even with the same code in both
  const order = cases.map((c, i) => [c, i] as const);
  if (r % 2) order.reverse();
  order.forEach(([[, fn], i]) => {
    // CPU time of this process, not wall time: on a shared machine other processes' load stays out of the figure
    const t0 = process.cpuUsage();
    for (const t of texts) fn(t);
    const d = process.cpuUsage(t0);
    ns[i]! += (d.user + d.system) * 1000;
  });
}
const docs = rounds * texts.length;
cases.forEach(([name], i) => {
  const rate = docs / (ns[i]! / 1e9);
  console.log(`${name.padEnd(30)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} docs per CPU-second  ${(ns[i]! / docs / 1000).toFixed(1).padStart(6)} µs/doc`);
});
console.log(`PERSON share of tokenizeText: ${(((ns[0]! - ns[1]!) / ns[0]!) * 100).toFixed(0)}% (${texts.length} docs${existsSync(file) ? ' from pii-dev.jsonl' : ', synthetic'}, ${rounds} alternating rounds)`);

// Hostile input: a 1 MiB field of one repeated shape, findNames alone, CPU ms (best of three; target <= 50 ms/MiB)
const MIB = 1 << 20;
const fill = (unit: string) => unit.repeat(Math.ceil(MIB / unit.length)).slice(0, MIB);
const hostile: [string, string][] = [
  ['capitalised words', 'Anna '], ['capitalised unseen pairs', 'Xqz Vbn '], ['one long word', 'a'], ['comma list', 'anna, '],
  ['titles', 'Mr. '], ['Han characters', '王伟李娜'], ['Hangul', '김민준님 '], ['sign-off blocks', 'Regards,\nAnna Smith\n'],
  ['speaker labels', 'Alice: hi\n'], ['field labels', 'Name: '], ['introductions', 'my name is '], ['CSV rows', 'name,email\nJohn Doe,x\n'],
  ['address lines', 'Anna Smith\n1 Main Street\n'], ['long capitalised run', 'Anna Maria Berg Lund Olsen Xqz Vbn '],
  ["'s runs", "Anna's "], ["unseen 's runs", "Xqzvb's "], ['colon runs', ':'], ['word colon runs', 'a:'], ['newline runs', '\n'],
  ['short lines', 'Anna\n'], ['label colons', 'Anna: Bob: '], ['list with and', 'anna and bob, '], ['Cyrillic names', 'Иван Петров '],
  ['Arabic names', 'محمد أحمد '], ['hyphen names', 'Jean-Luc-Anna-Marie '], ["'s and personal nouns", "Xqzvb's wife "],
  ['list cues', 'kids: anna, '], ['Georgian words', 'ნინო ბერიძე '], ['names repeated after a cue', 'my name is Zqorvik. Zqorvik '],
];
console.log('\nbad input: findNames on a 1 MiB field, CPU ms, best of 3 (target <= 50)');
for (const [name, unit] of hostile) {
  const text = fill(unit);
  const best = [Infinity, Infinity];
  for (let k = 0; k < 3; k++) {
    const runs = [...(base ? [findNames, base] : [findNames]).entries()];
    for (const [b, fn] of k % 2 ? runs.reverse() : runs) {
      out.length = 0;
      const t0 = process.cpuUsage();
      fn(text, out);
      const d = process.cpuUsage(t0);
      best[b] = Math.min(best[b]!, (d.user + d.system) / 1000);
    }
  }
  const vs = base ? `  (NAMES_BASE ${best[1]!.toFixed(0)}, ratio ${(best[0]! / best[1]!).toFixed(2)})` : '';
  console.log(`  ${name.padEnd(26)} ${best[0]!.toFixed(0).padStart(6)} ms/MiB${vs}${best[0]! > 50 ? '  over' : ''}`);
}
